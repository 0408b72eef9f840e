import Foundation
import LoadTreeCore

/// A string with `${…}` references, split once when the flow is compiled so that an iteration
/// only concatenates. References are those the plan validated: `${name}` (a var or a capture),
/// `${env.X}`, `${setup.X}`, `${data.SOURCE.COLUMN}`, `${__VU}`, `${__ITER}`.
struct Template: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case variable(String)
        case env(String)
        case setup(String)
        case data(source: String, column: String)
        case vu
        case iteration
    }

    let parts: [Part]

    init(_ text: String) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            parts.append(Template.reference(String(rest[open.upperBound..<close]).trimmingCharacters(in: .whitespaces)))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    private static func reference(_ name: String) -> Part {
        let pieces = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch (pieces.first, pieces.count) {
        case ("env", 2): return .env(pieces[1])
        case ("setup", 2): return .setup(pieces[1])
        case ("data", 3): return .data(source: pieces[1], column: pieces[2])
        default:
            if name == "__VU" { return .vu }
            if name == "__ITER" { return .iteration }
            return .variable(name)
        }
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
            case .variable(let name): out += scope.variable(name) ?? ""
            case .env(let name): out += scope.environment[name] ?? ""
            case .setup(let name): out += scope.setup[name] ?? ""
            case .data(let source, let column): out += scope.data(source, column) ?? ""
            case .vu: out += String(scope.vu)
            case .iteration: out += String(scope.iteration)
            }
        }
        return out
    }
}
