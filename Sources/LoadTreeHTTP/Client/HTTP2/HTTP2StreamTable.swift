/// The open streams of one HTTP/2 connection by stream id, with the stream looked up last kept
/// at hand.
///
/// nghttp2 reports a response as a run of callbacks about the same stream (begin headers, every
/// header, the HEADERS frame, its data, the DATA frame, the close), so nearly every lookup is
/// answered without hashing. Only the connection's handler uses it, on its event loop.
struct HTTP2StreamTable {
    private var byID: [Int32: HTTP2Stream] = [:]
    private var lastID: Int32 = 0
    private var last: HTTP2Stream?

    var isEmpty: Bool { byID.isEmpty }

    /// The open stream `id`, if any.
    mutating func stream(_ id: Int32) -> HTTP2Stream? {
        if id == lastID, let last { return last }
        guard let found = byID[id] else { return nil }
        lastID = id
        last = found
        return found
    }

    mutating func insert(_ stream: HTTP2Stream, id: Int32) {
        byID[id] = stream
    }

    /// Removes and returns stream `id`.
    mutating func remove(_ id: Int32) -> HTTP2Stream? {
        if id == lastID {
            lastID = 0
            last = nil
        }
        return byID.removeValue(forKey: id)
    }

    /// The ids of the open streams that satisfy `predicate` (a copy: the caller may finish them).
    func ids(where predicate: (HTTP2Stream) -> Bool) -> [Int32] {
        byID.compactMap { predicate($0.value) ? $0.key : nil }
    }

    /// Every open stream, for failing them all or finding the next deadline.
    var all: Dictionary<Int32, HTTP2Stream> { byID }
}
