/// A simple JSON path (`$.items[0].id`, `$["odd key"]`), parsed when the plan loads so that a
/// typo fails before the run rather than in every iteration.
///
/// Only member and index access: enough for checks and captures, and unambiguous.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One access step.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The text as written.
    public var text: String
    /// The access steps after `$`.
    public var components: [Component]

    /// Parses `$` followed by `.name`, `[N]` or `["name"]` / `['name']` steps.
    public init(parsing text: String) throws(JSONPathError) {
        var scalars = Substring(text.trimmingWhitespace())
        guard scalars.first == "$" else { throw .missingRoot(text) }
        scalars.removeFirst()
        var components: [Component] = []
        while let first = scalars.first {
            if first == "." {
                scalars.removeFirst()
                let name = scalars.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw .malformed(text) }
                components.append(.key(String(name)))
                scalars = scalars.dropFirst(name.count)
            } else if first == "[" {
                guard let close = scalars.firstIndex(of: "]") else { throw .malformed(text) }
                let inner = scalars[scalars.index(after: scalars.startIndex)..<close]
                if let index = Int(inner), index >= 0 {
                    components.append(.index(index))
                } else if inner.count >= 2, let q = inner.first, q == "\"" || q == "'", inner.last == q {
                    components.append(.key(String(inner.dropFirst().dropLast())))
                } else {
                    throw .malformed(text)
                }
                scalars = scalars[scalars.index(after: close)...]
            } else {
                throw .malformed(text)
            }
        }
        self.text = text
        self.components = components
    }

    public var description: String { text }
}

/// Why a JSON path could not be read.
public enum JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingRoot(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .missingRoot(let text):
            "JSON path \"\(text)\" must start with $, such as $.token or $.items[0].id"
        case .malformed(let text):
            "malformed JSON path \"\(text)\": use $ followed by .name, [index] or [\"name\"] steps"
        }
    }
}
