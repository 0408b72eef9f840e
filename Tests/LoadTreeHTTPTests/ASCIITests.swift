import Testing

@testable import LoadTreeHTTP

@Suite("ASCII helpers")
struct ASCIITests {
    @Test func caseInsensitiveEquality() {
        #expect(ASCII.equalsIgnoringCase("Content-Length", "content-length"))
        #expect(ASCII.equalsIgnoringCase("HOST", "host"))
        #expect(ASCII.equalsIgnoringCase("", ""))
        #expect(!ASCII.equalsIgnoringCase("host", "hos"))
        #expect(!ASCII.equalsIgnoringCase("hos", "host"))
        #expect(!ASCII.equalsIgnoringCase("hast", "host"))
        // Only ASCII letters fold: '[' (0x5B) is not '{' (0x7B).
        #expect(!ASCII.equalsIgnoringCase("[", "{"))
    }

    @Test func tokenBytes() {
        let token = "!#$%&'*+-.^_`|~azAZ09"
        #expect(token.utf8.allSatisfy(ASCII.isTokenByte))
        for byte in Array(" \t\r\n\"(),/:;<=>?@[\\]{}".utf8) + [0, 0x7F, 0x80, 0xFF] {
            #expect(!ASCII.isTokenByte(byte), "byte \(byte)")
        }
    }

    /// Every byte value against RFC 9110's `tchar`, spelled out as character classes.
    @Test func tokenBytesExhaustively() {
        let specials = Set("!#$%&'*+-.^_`|~".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            let isDigit = (0x30...0x39).contains(byte)
            #expect(ASCII.isTokenByte(byte) == (isLetter || isDigit || specials.contains(byte)), "byte \(byte)")
        }
    }
}
