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
    ///
    /// Inflates straight into the output array, which starts at a few times the input's size
    /// (HDR payloads deflate about 3–10×) and doubles while more comes: a relay inflates
    /// thousands of small histograms a second, so no fixed 64 KB scratch chunk is zeroed and
    /// copied for each. `Z_FINISH` lets zlib skip its 32 KB window when all fits in one call.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(HDRCodecError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .compression("zlib inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Swift.min(Swift.max(1024, input.count * 8), limit + 1))
        let result: Result<Void, HDRCodecError> = input.withUnsafeBufferPointer { inBuffer in
            // zlib never writes through `next_in`; its C type is simply not const.
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let before = (stream.avail_in, stream.total_out)
                let produced = Int(stream.total_out)
                let status: Int32 = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress.map { $0 + produced }
                    stream.avail_out = uInt(outBuffer.count - produced)
                    return CZlib.inflate(&stream, Z_FINISH)
                }
                if Int(stream.total_out) > limit {
                    return .failure(.tooLarge(what: "decompressed payload", size: Int(stream.total_out), limit: limit))
                }
                switch status {
                case Z_STREAM_END:
                    guard stream.avail_in == 0 else {
                        return .failure(.compression("\(stream.avail_in) bytes follow the end of the stream"))
                    }
                    output.removeLast(output.count - Int(stream.total_out))
                    return .success(())
                case Z_OK, Z_BUF_ERROR:
                    if stream.avail_out == 0 {
                        // Out of room: grow (up to one byte past the limit, to detect passing it).
                        output.append(contentsOf: repeatElement(0, count: Swift.min(output.count, limit + 1 - output.count)))
                    } else if stream.avail_in == 0 || before == (stream.avail_in, stream.total_out) {
                        // Room left but no input to finish with: the input ended before the stream.
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
