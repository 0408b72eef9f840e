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
}
