/// What a `${…}` reference in a plan names: a variable (from `vars` or an earlier capture), an
/// environment value, a setup capture, a data column, or the VU's or iteration's number.
///
/// The one reading of reference text: the plan's validation and the engine's templates both
/// classify references through it, so they cannot disagree on what `${data.users.name}` is.
public enum VariableReference: Sendable, Hashable {
    case variable(String)
    case env(String)
    case setup(String)
    case data(source: String, column: String)
    /// `${__VU}`
    case vu
    /// `${__ITER}`
    case iteration

    /// Classifies the text between `${` and `}` (trimmed). Nil for a malformed `env.`, `setup.`
    /// or `data.` reference (wrong number of parts); any other text is a variable name.
    public init?(_ name: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch (parts[0], parts.count) {
        case ("env", 2): self = .env(parts[1])
        case ("setup", 2): self = .setup(parts[1])
        case ("data", 3): self = .data(source: parts[1], column: parts[2])
        case ("env", _), ("setup", _), ("data", _): return nil
        default:
            switch name {
            case "__VU": self = .vu
            case "__ITER": self = .iteration
            default: self = .variable(name)
            }
        }
    }
}
