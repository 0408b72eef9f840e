import CZlib

/// gzip encoding and decoding on zlib, for `Content-Encoding: gzip` bodies.
///
/// The client inflates a kept body (so checks see the text), the embedded target deflates its
/// `/gzip` route. Foundation on Linux has no zlib binding, hence the system library.
enum Gzip {
    /// Bodies larger than this after inflation are rejected (a decompression bomb guard).
    static let maxInflatedSize = 256 * 1024 * 1024

    /// Inflates gzip (or zlib: window bits 47 detects either header) data.
    static func inflate(_ input: [UInt8]) throws(HTTPFailure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 47, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .decompressionFailed("zlib inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        if input.isEmpty {
            throw .decompressionFailed("the body is empty")
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(16 * 1024, min(input.count * 4, 1024 * 1024)))
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { inBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = uInt(inBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > maxInflatedSize { status = Z_MEM_ERROR }
                if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else {
            if status == Z_MEM_ERROR {
                throw .decompressionFailed("the inflated body exceeds \(maxInflatedSize) bytes")
            }
            if status == Z_OK || status == Z_BUF_ERROR {
                throw .decompressionFailed("the gzip stream is truncated")
            }
            throw .decompressionFailed("corrupt gzip data (zlib status \(status))")
        }
        return output
    }

    /// Deflates `input` with a gzip header (window bits 31).
    static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(
            &stream, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)
        ) == Z_OK else {
            return []
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var written = 0
        input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                _ = CZlib.deflate(&stream, Z_FINISH)
                written = outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }
}
