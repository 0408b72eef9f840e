import NIOCore

/// Fixed bodies the target serves, built once: the 2 KB page the benchmark requests, the item
/// list, and its gzip form.
enum TargetContent {
    /// Exactly 2,048 bytes of text (the "2 KB body" of the benchmark).
    static let page: ByteBuffer = {
        var text = ""
        var line = 0
        while text.utf8.count < 2048 {
            text += "LoadTree embedded target, line \(line): the quick brown fox jumps over the lazy dog.\n"
            line += 1
        }
        var bytes = Array(text.utf8.prefix(2047))
        bytes.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: bytes)
    }()

    static let itemsJSON =
        #"{"items":[{"id":1,"name":"item 1"},{"id":2,"name":"item 2"},{"id":3,"name":"item 3"}],"count":3}"#

    static let items = ByteBuffer(string: itemsJSON)

    /// The text behind `/gzip`, long enough to compress well.
    static let gzipPlain: String = String(repeating: #"{"message":"this body was gzip-encoded by the target"}"# + "\n", count: 20)

    static let gzipped = ByteBuffer(bytes: Gzip.deflate(Array(gzipPlain.utf8)))
}
