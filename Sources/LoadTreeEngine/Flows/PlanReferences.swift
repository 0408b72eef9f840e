/// The references a plan's text makes, read with the same ``Template`` scanner a run uses.
public enum PlanReferences {
    /// The environment values `text` reads (`${env.NAME}`): what a tree's root sends its agents,
    /// so every agent runs with the values the root saw.
    public static func environmentNames(in text: String) -> Set<String> {
        var names = Set<String>()
        for case .reference(.env(let name)) in Template(text).parts { names.insert(name) }
        return names
    }
}
