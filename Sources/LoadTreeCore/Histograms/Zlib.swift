import CZlib

/// DEFLATE in the zlib container, as the HdrHistogram V2 compressed encoding uses it.
///
/// Foundation on Linux has no zlib binding, so this talks to the C library directly.
/// Inflation is bounded: it stops with an error as soon as the output would pass `limit`,
/// so a small "zip bomb" cannot exhaust memory.
enum Zlib {
    /// Compresses `input` into a zlib stream.
    static func deflate(_ input: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) throws(HDRCodecError) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit_(&stream, level, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .compression("zlib deflateInit failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw .compression("zlib deflate returned \(status)") }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// Decompresses one complete zlib stream that must fill `input` exactly, producing at
    /// most `limit` bytes.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(HDRCodecError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .compression("zlib inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var input = Array(input)
        let result: Result<Void, HDRCodecError> = input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let before = (stream.avail_in, stream.total_out)
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunkSize - Int(stream.avail_out)
                if output.count + produced > limit {
                    return .failure(.tooLarge(what: "decompressed payload", size: output.count + produced, limit: limit))
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    guard stream.avail_in == 0 else {
                        return .failure(.compression("\(stream.avail_in) bytes follow the end of the stream"))
                    }
                    return .success(())
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: with output space available this means the input
                    // ended before the stream did.
                    if before == (stream.avail_in, stream.total_out) || stream.avail_in == 0 {
                        return .failure(.compression("the stream ends early"))
                    }
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    return .failure(.compression(message))
                }
            }
        }
        try result.get()
        return output
    }
}
