import Foundation
import LoadTreeCore

/// A string with `${…}` references, split once when the flow is compiled so that an iteration
/// only concatenates. References are those the plan validated: `${name}` (a var or a capture),
/// `${env.X}`, `${setup.X}`, `${data.SOURCE.COLUMN}`, `${__VU}`, `${__ITER}`.
struct Template: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case reference(VariableReference)
    }

    let parts: [Part]

    init(_ text: String) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            let name = String(rest[open.upperBound..<close]).trimmingCharacters(in: .whitespaces)
            // The plan's validation refused malformed references; none reaches a run.
            parts.append(VariableReference(name).map(Part.reference) ?? .literal(""))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    private init(parts: [Part]) {
        self.parts = parts
    }

    /// This template with every reference that `fixed` answers replaced by its text, adjacent
    /// literals joined. Values fixed for the whole run (plan vars no step captures over, the
    /// environment, setup data) are filled in once, so a request using only those is constant.
    func resolving(_ fixed: (VariableReference) -> String?) -> Template {
        var resolved: [Part] = []
        for part in parts {
            var text: String
            switch part {
            case .literal(let literal): text = literal
            case .reference(let reference):
                guard let value = fixed(reference) else {
                    resolved.append(part)
                    continue
                }
                text = value
            }
            if case .literal(let previous)? = resolved.last {
                text = previous + text
                resolved.removeLast()
            }
            resolved.append(.literal(text))
        }
        return Template(parts: resolved)
    }

    /// Whether the text has no reference (it can be used as is).
    var isConstant: Bool { parts.allSatisfy { if case .literal = $0 { true } else { false } } }

    /// The text with every reference replaced; an unknown one becomes the empty string.
    func render(_ scope: VariableScope) -> String {
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .reference(.variable(let name)): out += scope.variable(name) ?? ""
            case .reference(.env(let name)): out += scope.environment[name] ?? ""
            case .reference(.setup(let name)): out += scope.setup[name] ?? ""
            case .reference(.data(let source, let column)): out += scope.data(source, column) ?? ""
            case .reference(.vu): out += String(scope.vu)
            case .reference(.iteration): out += String(scope.iteration)
            }
        }
        return out
    }
}
