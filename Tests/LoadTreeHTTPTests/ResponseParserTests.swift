import NIOCore
import Testing

@testable import LoadTreeHTTP

/// The response parser on raw bytes, fed whole and split at every possible position.
@Suite("Response parser")
struct ResponseParserTests {
    /// Feeds `text` in pieces cut at `cuts`, returning the final outcome and the parser.
    private func parse(
        _ bytes: [UInt8], cuts: [Int] = [], isHead: Bool = false, keepBody: Bool = true
    ) -> (ResponseParser.Outcome, ResponseParser) {
        var parser = ResponseParser()
        parser.reset(isHeadRequest: isHead, keepHeaders: true, keepBody: keepBody)
        var outcome = ResponseParser.Outcome.needMore
        var start = 0
        for cut in cuts + [bytes.count] where cut >= start {
            outcome = parser.feed(ByteBuffer(bytes: bytes[start..<cut]))
            start = cut
            if outcome != .needMore { break }
        }
        return (outcome, parser)
    }

    private func everySplit(_ text: String, check: (ResponseParser.Outcome, ResponseParser) -> Void) {
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            let (outcome, parser) = parse(bytes, cuts: [cut])
            check(outcome, parser)
        }
        // And byte by byte.
        let (outcome, parser) = parse(bytes, cuts: Array(0...bytes.count))
        check(outcome, parser)
    }

    @Test func contentLengthAtEverySplit() {
        everySplit("HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello") { outcome, parser in
            #expect(outcome == .complete(leftover: 0))
            #expect(parser.status == 201)
            #expect(parser.body == Array("hello".utf8))
            #expect(parser.bodyWireBytes == 5)
            #expect(parser.headers.map(\.0) == ["Content-Length", "X-A"])
            #expect(parser.headers.map(\.1) == ["5", "b"])
            #expect(!parser.closesConnection)
        }
    }

    @Test func chunkedAtEverySplit() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nTrailer: x\r\n\r\n"
        everySplit(text) { outcome, parser in
            #expect(outcome == .complete(leftover: 0))
            #expect(parser.body == Array("hello, world!!!".utf8))
            #expect(parser.bodyWireBytes == 15)
        }
    }

    @Test func interimResponsesAreSkipped() {
        everySplit("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") { outcome, parser in
            #expect(outcome == .complete(leftover: 0))
            #expect(parser.status == 200)
            #expect(parser.body == Array("ok".utf8))
        }
    }

    @Test func bodilessResponses() {
        for status in [204, 304] {
            let (outcome, parser) = parse(Array("HTTP/1.1 \(status) X\r\nContent-Length: 10\r\n\r\n".utf8))
            #expect(outcome == .complete(leftover: 0))
            #expect(parser.status == status)
        }
        let (outcome, parser) = parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".utf8), isHead: true)
        #expect(outcome == .complete(leftover: 0))
        #expect(parser.bodyWireBytes == 0)
    }

    @Test func discardedBodyIsOnlyCounted() {
        let (outcome, parser) = parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc".utf8), keepBody: false)
        #expect(outcome == .complete(leftover: 0))
        #expect(parser.body.isEmpty)
        #expect(parser.bodyWireBytes == 3)
    }

    @Test func leftoverBytesAreReported() {
        let (outcome, _) = parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naEXTRA".utf8))
        #expect(outcome == .complete(leftover: 5))
    }

    @Test func connectionSemantics() {
        let close = parse(Array("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n".utf8)).1
        #expect(close.closesConnection)
        let old = parse(Array("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)).1
        #expect(old.closesConnection)
        let oldKeep = parse(Array("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n".utf8)).1
        #expect(!oldKeep.closesConnection)
        let gzip = parse(Array("HTTP/1.1 200 OK\r\nContent-Encoding: GZIP\r\nContent-Length: 0\r\n\r\n".utf8)).1
        #expect(gzip.isGzip)
    }

    @Test func untilCloseCompletesOnClose() {
        var (outcome, parser) = parse(Array("HTTP/1.1 200 OK\r\n\r\nsome".utf8))
        #expect(outcome == .needMore)
        #expect(parser.feed(ByteBuffer(string: " more")) == .needMore)
        #expect(parser.finishOnClose() == .complete(leftover: 0))
        #expect(parser.body == Array("some more".utf8))
        #expect(parser.closesConnection)
    }

    @Test(arguments: [
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "FOO\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ])
    func malformedResponsesFail(_ text: String) {
        let (outcome, _) = parse(Array(text.utf8))
        guard case .failed = outcome else {
            Issue.record("expected failure for \(text.debugDescription), got \(outcome)")
            return
        }
    }

    @Test func oversizedHeadFails() {
        let huge = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: ResponseParser.maxHeadSize + 10)
        let (outcome, _) = parse(Array(huge.utf8))
        guard case .failed = outcome else {
            Issue.record("expected failure, got \(outcome)")
            return
        }
    }

    @Test func closeInTheMiddleFails() {
        var (outcome, parser) = parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        #expect(outcome == .needMore)
        guard case .failed = parser.finishOnClose() else {
            Issue.record("expected failure")
            return
        }
    }
}
