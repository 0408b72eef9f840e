extension Rational {
    /// Parses the forms segments are written in: `3`, `1/3`, `0.75`, `.5`, `1e-1`, `2.5E-2`.
    ///
    /// Returns `nil` for anything else (the caller names the input in its own error), and for
    /// values whose exact fraction does not fit in 64 bits.
    public init?(text: String) {
        let s = Substring(text)
        if let slash = s.firstIndex(of: "/") {
            guard let n = Rational.integer(s[..<slash], allowSign: true),
                  let d = Rational.integer(s[s.index(after: slash)...], allowSign: false),
                  d != 0, let value = try? Rational(wide: n, d)
            else { return nil }
            self = value
            return
        }
        guard let value = Rational.decimal(s) else { return nil }
        self = value
    }

    /// An integer of at most 30 digits, so that it fits comfortably in 128 bits.
    private static func integer(_ s: Substring, allowSign: Bool) -> Int128? {
        var digits = s
        var negative = false
        if allowSign, let first = digits.first, first == "-" || first == "+" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 30, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var value: Int128 = 0
        for c in digits.utf8 { value = value * 10 + Int128(c - UInt8(ascii: "0")) }
        return negative ? -value : value
    }

    /// `[sign] digits [. digits] [e [sign] digits]`, at least one digit in the mantissa.
    private static func decimal(_ s: Substring) -> Rational? {
        var mantissa = s
        var exponent: Int = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[..<e]
            guard let exp = integer(s[s.index(after: e)...], allowSign: true), exp.magnitude <= 40 else { return nil }
            exponent = Int(exp)
        }
        var negative = false
        if let first = mantissa.first, first == "-" || first == "+" {
            negative = first == "-"
            mantissa = mantissa.dropFirst()
        }
        var whole = mantissa
        var fraction: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            whole = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
        }
        guard !(whole.isEmpty && fraction.isEmpty) else { return nil }
        let digits = whole + fraction
        guard digits.count <= 30, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var n: Int128 = 0
        for c in digits.utf8 { n = n * 10 + Int128(c - UInt8(ascii: "0")) }
        if negative { n = -n }
        exponent -= fraction.count
        var d: Int128 = 1
        if exponent > 0 {
            for _ in 0..<exponent {
                let (product, overflow) = n.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                n = product
            }
        } else if exponent < 0 {
            guard -exponent <= 36 else { return nil }
            for _ in 0 ..< -exponent { d *= 10 }
        }
        return try? Rational(wide: n, d)
    }
}
