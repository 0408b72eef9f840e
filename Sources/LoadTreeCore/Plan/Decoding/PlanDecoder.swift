import Yams

/// Turns a composed YAML document into plan values, collecting every error with its position
/// instead of stopping at the first one.
///
/// Getters return `nil` both when a key is absent and when its value is invalid; in the second
/// case an error has been recorded. Callers compare ``errorCount`` before and after a section
/// to skip cross-field checks that would only repeat an earlier error.
final class PlanDecoder {
    let file: String
    private(set) var errors: [PlanError] = []

    init(file: String) {
        self.file = file
    }

    var errorCount: Int { errors.count }

    func error(_ mark: Mark?, _ message: String) {
        errors.append(PlanError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    // MARK: - Structure

    /// Reads a mapping, reporting non-mappings and non-string keys (Yams rejects duplicate keys),
    /// and applying YAML merge keys (`<<: *defaults`).
    func fields(_ node: Node, context: String?, mark: Mark?) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(node.mark, "expected a mapping for \(context ?? "the plan"), found \(Self.describe(node))")
            return nil
        }
        var entries: [Fields.Entry] = []
        var merged: [Node] = []
        for (keyNode, value) in mapping {
            if Self.tagName(keyNode) == .merge {
                if case .sequence(let sources) = value { merged += sources } else { merged.append(value) }
                continue
            }
            guard case .scalar(let scalar) = keyNode else {
                error(keyNode.mark, "expected a plain key in \(context ?? "the plan"), found \(Self.describe(keyNode))")
                continue
            }
            entries.append(.init(key: scalar.string, keyNode: keyNode, value: value))
        }
        // YAML merge keys (`<<: *defaults`): keys written in the mapping win, then earlier sources.
        for source in merged {
            guard let inner = fields(source, context: context, mark: mark) else { continue }
            for entry in inner.entries where !entries.contains(where: { $0.key == entry.key }) {
                entries.append(entry)
            }
        }
        return Fields(context: context, mark: mark, entries: entries)
    }

    /// Reports every key not in `allowed`, with a suggestion. `hints` maps known wrong names
    /// (such as the reference's `exec`) to the right one; `explain` may give a whole message
    /// for a key that is known elsewhere (an option of another executor).
    func checkKeys(
        _ fields: Fields, allowed keys: [String], hints: [String: String] = [:],
        explain: (String) -> String? = { _ in nil }
    ) {
        var allowed: [String] = []
        for key in keys where !allowed.contains(key) { allowed.append(key) }
        for entry in fields.entries where !allowed.contains(entry.key) {
            if let explanation = explain(entry.key) {
                error(entry.keyNode.mark, explanation)
                continue
            }
            var message = "unknown key \"\(entry.key)\" in \(fields.what)"
            if let suggestion = hints[entry.key] ?? Suggestion.closest(to: entry.key, among: allowed) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message += "; valid keys are " + allowed.joined(separator: ", ")
            }
            error(entry.keyNode.mark, message)
        }
    }

    /// Reports each key of `required` that is missing.
    func require(_ fields: Fields, _ required: String...) {
        for key in required where !fields.has(key) {
            error(fields.mark, "\(fields.what) is missing required key \"\(key)\"")
        }
    }

    func list(_ node: Node, what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(node.mark, "expected a list for \(what), found \(Self.describe(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: - Scalars

    func int(_ fields: Fields, _ key: String) -> Int64? {
        guard let node = fields.value(key) else { return nil }
        guard case .scalar = node, Self.tagName(node) == .int, let value = node.int else {
            error(node.mark, "expected a whole number for \(fields.describe(key)), found \(Self.describe(node))")
            return nil
        }
        return Int64(value)
    }

    /// A whole number that must be at least `minimum`.
    func int(_ fields: Fields, _ key: String, atLeast minimum: Int64) -> Int64? {
        guard let value = int(fields, key) else { return nil }
        guard value >= minimum else {
            let bound = minimum == 0 ? "must not be negative" : "must be greater than \(minimum - 1)"
            error(fields.value(key)?.mark, "\(fields.describe(key)) \(bound), found \(value)")
            return nil
        }
        return value
    }

    func bool(_ fields: Fields, _ key: String) -> Bool? {
        guard let node = fields.value(key) else { return nil }
        guard Self.tagName(node) == .bool, let value = node.bool else {
            error(node.mark, "expected true or false for \(fields.describe(key)), found \(Self.describe(node))")
            return nil
        }
        return value
    }

    /// Any scalar but null, as written: YAML users write `status: 200` in string-valued maps.
    func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node, Self.tagName(node) != .null else {
            error(node.mark, "expected a string for \(what), found \(Self.describe(node))")
            return nil
        }
        return scalar.string
    }

    func string(_ fields: Fields, _ key: String) -> String? {
        fields.value(key).flatMap { string($0, what: fields.describe(key)) }
    }

    /// A non-empty string.
    func nonEmptyString(_ fields: Fields, _ key: String) -> String? {
        guard let value = string(fields, key) else { return nil }
        guard !value.isEmpty else {
            error(fields.value(key)?.mark, "\(fields.describe(key)) must not be empty")
            return nil
        }
        return value
    }

    func duration(_ node: Node, what: String) -> Duration? {
        guard case .scalar(let scalar) = node, Self.tagName(node) != .null else {
            error(node.mark, "expected a duration such as 30s, 1m30s or 500ms for \(what), found \(Self.describe(node))")
            return nil
        }
        do {
            return try DurationText.parse(scalar.string)
        } catch {
            self.error(node.mark, "invalid duration for \(what): \(error)")
            return nil
        }
    }

    func duration(_ fields: Fields, _ key: String) -> Duration? {
        fields.value(key).flatMap { duration($0, what: fields.describe(key)) }
    }

    /// A duration that must be more than zero.
    func positiveDuration(_ fields: Fields, _ key: String) -> Duration? {
        guard let value = duration(fields, key) else { return nil }
        guard value > .zero else {
            error(fields.value(key)?.mark, "\(fields.describe(key)) must be longer than 0s")
            return nil
        }
        return value
    }

    /// A mapping of strings to strings (tags, env, vars, headers), in file order.
    func stringPairs(_ fields: Fields, _ key: String) -> [(String, String)]? {
        guard let node = fields.value(key) else { return nil }
        let what = fields.describe(key)
        guard let inner = self.fields(node, context: what, mark: fields.keyMark(key)) else { return nil }
        return inner.entries.compactMap { entry in
            string(entry.value, what: "\"\(entry.key)\" in \(what)").map { (entry.key, $0) }
        }
    }

    func stringMap(_ fields: Fields, _ key: String) -> [String: String]? {
        stringPairs(fields, key).map { Dictionary($0, uniquingKeysWith: { first, _ in first }) }
    }

    /// One of a fixed set of words, with a suggestion when it is not.
    func choice<T>(_ fields: Fields, _ key: String, _ options: [(String, T)]) -> T? {
        guard let node = fields.value(key), let text = string(node, what: fields.describe(key)) else { return nil }
        if let match = options.first(where: { $0.0 == text }) { return match.1 }
        let names = options.map(\.0)
        var message = "unknown value \"\(text)\" for \(fields.describe(key))"
        if let suggestion = Suggestion.closest(to: text, among: names) {
            message += "; did you mean \"\(suggestion)\"?"
        } else {
            message += "; use " + names.joined(separator: ", ")
        }
        error(node.mark, message)
        return nil
    }

    // MARK: - Names

    /// Names of scenarios, flows, data sources and variables: letters, digits, `_` and `-`
    /// (the reference's scenario-name rule), so they are safe as tags and in references.
    func checkName(_ name: String, at mark: Mark?, what: String, allowDash: Bool = true) -> Bool {
        let ok = !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "_" || (allowDash && $0 == "-")
        }
        if !ok {
            let allowed = allowDash ? "letters, digits, \"_\" and \"-\"" : "letters, digits and \"_\""
            error(mark, "invalid \(what) name \"\(name)\": use only \(allowed)")
        }
        return ok
    }

    // MARK: - Conversion

    /// A YAML value as JSON, for request bodies and JSON check values.
    func json(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            return .object(mapping.map { (key, value) in (key.scalar?.string ?? "", json(value)) })
        case .sequence(let sequence):
            return .array(sequence.map { json($0) })
        case .scalar(let scalar):
            switch Self.tagName(node) {
            case .null: return .null
            case .bool: return node.bool.map { .bool($0) } ?? .string(scalar.string)
            case .int: return node.int.map { .int(Int64($0)) } ?? .string(scalar.string)
            case .float: return node.float.map { .double($0) } ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .alias:
            return .null
        }
    }

    /// The node's resolved tag (`int`, `str`, …); `Tag.name` is not public.
    static func tagName(_ node: Node) -> Yams.Tag.Name {
        Yams.Tag.Name(rawValue: node.tag.description)
    }

    /// How a node reads in "found …" messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch Self.tagName(node) {
            case .null: return "nothing"
            case .str: return "\"\(scalar.string)\""
            default: return scalar.string
            }
        }
    }
}
