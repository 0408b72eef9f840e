import Yams

/// A YAML mapping being decoded: its entries by key, what it is (for messages), and where to
/// point when a required key is missing.
struct Fields {
    struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    /// What the mapping is, for messages: `scenario "browse"`, or `nil` for the plan itself.
    let context: String?
    /// Where the mapping is introduced (its key in the parent), for "missing key" errors.
    let mark: Mark?
    let entries: [Entry]

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }
    func value(_ key: String) -> Node? { entries.first { $0.key == key }?.value }
    func keyMark(_ key: String) -> Mark? { entries.first { $0.key == key }?.keyNode.mark }

    /// `"vus" in scenario "browse"`, or `"vus"` at the top level.
    func describe(_ key: String) -> String {
        context.map { "\"\(key)\" in \($0)" } ?? "\"\(key)\""
    }

    /// `scenario "browse"`, or `the plan`.
    var what: String { context ?? "the plan" }
}
