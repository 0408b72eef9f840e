import Foundation

/// The compiled form of an `r = …` expression: a tree of closures over `t`.
///
/// A closure tree evaluates with a few indirect calls and no allocation, so sampling the curve
/// densely at plan load costs microseconds.
typealias CurveFunction = @Sendable (Double) -> Double

/// Parses `r = <expression of t>` into a ``CurveFunction``, folding constant sub-expressions.
///
/// Grammar (usual precedence; `^` binds tighter than unary minus and is right-associative):
/// `sum := product (("+" | "-") product)*`, `product := unary (("*" | "/") unary)*`,
/// `unary := ("-" | "+") unary | power`, `power := primary ("^" unary)?`,
/// `primary := number | t | pi | e | name "(" sum ("," sum)* ")" | "(" sum ")"`.
struct ExpressionParser {
    private indirect enum Node {
        case constant(Double)
        case t
        case unary(String, Node)
        case binary(Character, Node, Node)
        case call(String, [Node])
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    static let unaryFunctions = ["sqrt", "exp", "log", "sin", "cos", "abs"]
    static let binaryFunctions = ["min", "max", "pow"]

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Parses the whole progression text, which must start with `r =`.
    static func compile(_ text: String) throws(ProgressionError) -> CurveFunction {
        var parser = ExpressionParser(text)
        parser.skipSpaces()
        guard parser.peek == "r" else { throw parser.failure("expected \"r =\" at the start of the expression") }
        parser.position += 1
        parser.skipSpaces()
        guard parser.peek == "=" else { throw parser.failure("expected \"=\" after \"r\"") }
        parser.position += 1
        parser.skipSpaces()
        guard parser.peek != nil else { throw parser.failure("expected an expression of t after \"r =\"") }
        let node = try parser.sum()
        parser.skipSpaces()
        if let extra = parser.peek {
            throw parser.failure("unexpected \"\(extra)\"; expected an operator (+ - * / ^) or the end")
        }
        return compile(node)
    }

    // MARK: - Parsing

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipSpaces() {
        while let c = peek, c.properties.isWhitespace { position += 1 }
    }

    private func failure(_ message: String, at column: Int? = nil) -> ProgressionError {
        .syntax(message: message, column: (column ?? position) + 1)
    }

    private mutating func sum() throws(ProgressionError) -> Node {
        var node = try product()
        while true {
            skipSpaces()
            guard let c = peek, c == "+" || c == "-" else { return node }
            position += 1
            node = .binary(Character(c), node, try product())
        }
    }

    private mutating func product() throws(ProgressionError) -> Node {
        var node = try unary()
        while true {
            skipSpaces()
            guard let c = peek, c == "*" || c == "/" else { return node }
            position += 1
            node = .binary(Character(c), node, try unary())
        }
    }

    private mutating func unary() throws(ProgressionError) -> Node {
        skipSpaces()
        if peek == "-" {
            position += 1
            return .unary("-", try unary())
        }
        if peek == "+" {
            position += 1
            return try unary()
        }
        return try power()
    }

    private mutating func power() throws(ProgressionError) -> Node {
        let base = try primary()
        skipSpaces()
        guard peek == "^" else { return base }
        position += 1
        return .binary("^", base, try unary())
    }

    private mutating func primary() throws(ProgressionError) -> Node {
        skipSpaces()
        guard let c = peek else { throw failure("expected a number, t, a function or \"(\" but the expression ends") }
        if c == "(" {
            position += 1
            let inner = try sum()
            skipSpaces()
            guard peek == ")" else { throw failure("expected \")\"") }
            position += 1
            return inner
        }
        if c == "." || c.properties.numericType != nil && c.isASCII {
            return try number()
        }
        if c.properties.isAlphabetic {
            return try name()
        }
        throw failure("unexpected \"\(c)\"; expected a number, t, a function or \"(\"")
    }

    private mutating func number() throws(ProgressionError) -> Node {
        let start = position
        func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { $0 >= "0" && $0 <= "9" } ?? false }
        while isDigit(peek) || peek == "." { position += 1 }
        if peek == "e" || peek == "E" {
            let next = position + 1 < scalars.count ? scalars[position + 1] : nil
            let afterSign = position + 2 < scalars.count ? scalars[position + 2] : nil
            if isDigit(next) || ((next == "+" || next == "-") && isDigit(afterSign)) {
                position += 2
                while isDigit(peek) { position += 1 }
            }
        }
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        guard let value = Double(text) else { throw failure("invalid number \"\(text)\"", at: start) }
        return .constant(value)
    }

    private mutating func name() throws(ProgressionError) -> Node {
        let start = position
        while let c = peek, c.properties.isAlphabetic || (c >= "0" && c <= "9") { position += 1 }
        let word = String(String.UnicodeScalarView(scalars[start..<position]))
        switch word {
        case "t": return .t
        case "pi": return .constant(.pi)
        case "e": return .constant(M_E)
        default: break
        }
        let arity: Int
        if Self.unaryFunctions.contains(word) {
            arity = 1
        } else if Self.binaryFunctions.contains(word) {
            arity = 2
        } else {
            let known = ["t", "pi", "e"] + Self.unaryFunctions + Self.binaryFunctions
            let hint = Suggestion.closest(to: word, among: known).map { "; did you mean \"\($0)\"?" } ?? ""
            throw failure("unknown name \"\(word)\"\(hint) (known: t, pi, e, "
                + (Self.unaryFunctions + Self.binaryFunctions).joined(separator: ", ") + ")", at: start)
        }
        skipSpaces()
        guard peek == "(" else { throw failure("expected \"(\" after \(word)") }
        position += 1
        var arguments = [try sum()]
        skipSpaces()
        while peek == "," {
            position += 1
            arguments.append(try sum())
            skipSpaces()
        }
        guard peek == ")" else { throw failure("expected \")\" or \",\" in the arguments of \(word)") }
        guard arguments.count == arity else {
            throw failure("\(word) takes \(arity) argument\(arity == 1 ? "" : "s"), found \(arguments.count)", at: start)
        }
        position += 1
        return .call(word, arguments)
    }

    // MARK: - Compiling

    private static func constantValue(_ node: Node) -> Double? {
        if case .constant(let value) = node { return value }
        return nil
    }

    private static func compile(_ node: Node) -> CurveFunction {
        let folded = fold(node)
        switch folded {
        case .constant(let value): return { _ in value }
        case .t: return { $0 }
        case .unary(_, let inner):
            let f = compile(inner)
            return { -f($0) }
        case .binary(let op, let lhs, let rhs):
            let a = compile(lhs)
            if op == "^", let exponent = constantValue(rhs) {
                switch exponent {
                case 1: return a
                case 2: return { let x = a($0); return x * x }
                case 3: return { let x = a($0); return x * x * x }
                case 4: return { let x = a($0); let y = x * x; return y * y }
                case 0.5: return { Foundation.pow(a($0), 0.5) }
                default: return { Foundation.pow(a($0), exponent) }
                }
            }
            if let k = constantValue(rhs) {
                switch op {
                case "+": return { a($0) + k }
                case "-": return { a($0) - k }
                case "*": return { a($0) * k }
                case "/": return { a($0) / k }
                default: break
                }
            }
            if let k = constantValue(lhs) {
                let b = compile(rhs)
                switch op {
                case "+": return { k + b($0) }
                case "-": return { k - b($0) }
                case "*": return { k * b($0) }
                case "/": return { k / b($0) }
                default: return { Foundation.pow(k, b($0)) }
                }
            }
            let b = compile(rhs)
            switch op {
            case "+": return { a($0) + b($0) }
            case "-": return { a($0) - b($0) }
            case "*": return { a($0) * b($0) }
            case "/": return { a($0) / b($0) }
            default: return { Foundation.pow(a($0), b($0)) }
            }
        case .call(let name, let arguments):
            let a = compile(arguments[0])
            if arguments.count == 2 {
                let b = compile(arguments[1])
                switch name {
                case "min": return { Swift.min(a($0), b($0)) }
                case "max": return { Swift.max(a($0), b($0)) }
                default: return { Foundation.pow(a($0), b($0)) }
                }
            }
            switch name {
            case "sqrt": return { a($0).squareRoot() }
            case "exp": return { Foundation.exp(a($0)) }
            case "log": return { Foundation.log(a($0)) }
            case "sin": return { Foundation.sin(a($0)) }
            case "cos": return { Foundation.cos(a($0)) }
            default: return { Swift.abs(a($0)) }
            }
        }
    }

    /// Replaces every sub-tree without `t` by its value.
    private static func fold(_ node: Node) -> Node {
        switch node {
        case .constant, .t: return node
        case .unary(let op, let inner):
            let inner = fold(inner)
            if let v = constantValue(inner) { return .constant(-v) }
            return .unary(op, inner)
        case .binary(let op, let lhs, let rhs):
            let (l, r) = (fold(lhs), fold(rhs))
            if let a = constantValue(l), let b = constantValue(r) {
                return .constant(compile(.binary(op, .t, .constant(b)))(a))
            }
            return .binary(op, l, r)
        case .call(let name, let arguments):
            let folded = arguments.map(fold)
            let values = folded.compactMap(constantValue)
            if values.count == folded.count {
                let f = compile(.call(name, [.t] + values.dropFirst().map { .constant($0) }))
                return .constant(f(values[0]))
            }
            return .call(name, folded)
        }
    }
}
