import CNghttp2

/// The C callback table of the client sessions: non-capturing functions that recover the
/// handler from nghttp2's `user_data` and forward to it.
///
/// nghttp2 calls these synchronously from `mem_recv`, `mem_send` and `submit_*`, which the
/// handler only calls on its event loop, so the handler's state needs no lock. The handler is
/// reached without retaining it (it is alive: it is the one calling nghttp2), which saves a
/// retain and a release per header and per frame.
enum HTTP2Callbacks {
    /// A new callback table; the caller deletes it after creating the session (which copies it).
    static func make() -> OpaquePointer? {
        var table: OpaquePointer?
        guard nghttp2_session_callbacks_new(&table) == 0, let table else { return nil }
        nghttp2_session_callbacks_set_on_begin_headers_callback(table) { _, frame, userData in
            guard let frame else { return 0 }
            return withHandler(userData, otherwise: 0) { handler in
                handler.beginHeaders(streamID: frame.pointee.hd.stream_id)
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_header_callback(table) { _, frame, name, nameLength, value, valueLength, _, userData in
            guard let frame, let name, let value else { return 0 }
            return withHandler(userData, otherwise: 0) { handler in
                let accepted = handler.header(
                    streamID: frame.pointee.hd.stream_id,
                    name: UnsafeBufferPointer(start: name, count: nameLength),
                    value: UnsafeBufferPointer(start: value, count: valueLength)
                )
                // nghttp2 answers this code by resetting the stream.
                return accepted ? 0 : Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
            }
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(table) { _, _, streamID, data, length, userData in
            guard let data else { return 0 }
            return withHandler(userData, otherwise: 0) { handler in
                handler.data(streamID: streamID, UnsafeBufferPointer(start: data, count: length))
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(table) { _, frame, userData in
            guard let frame else { return 0 }
            return withHandler(userData, otherwise: 0) { handler in
                handler.frameReceived(frame)
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(table) { _, frame, userData in
            guard let frame else { return 0 }
            return withHandler(userData, otherwise: 0) { handler in
                handler.frameSent(frame)
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_frame_not_send_callback(table) { _, frame, errorCode, userData in
            guard let frame else { return 0 }
            return withHandler(userData, otherwise: 0) { handler in
                handler.frameNotSent(frame, libraryError: errorCode)
                return 0
            }
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(table) { _, streamID, errorCode, userData in
            withHandler(userData, otherwise: 0) { handler in
                handler.streamClosed(streamID: streamID, errorCode: errorCode)
                return 0
            }
        }
        nghttp2_session_callbacks_set_error_callback2(table) { _, _, message, length, userData in
            guard let message else { return 0 }
            return withHandler(userData, otherwise: 0) { handler in
                handler.libraryError(
                    String(decoding: UnsafeRawBufferPointer(start: message, count: length), as: UTF8.self)
                )
                return 0
            }
        }
        return table
    }

    /// The read callback of request bodies: copies the next chunk of the stream's body.
    static var bodyProvider: nghttp2_data_provider {
        nghttp2_data_provider(
            source: nghttp2_data_source(ptr: nil),
            read_callback: { _, streamID, buffer, length, flags, _, userData in
                guard let buffer, let flags else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
                return withHandler(userData, otherwise: Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)) { handler in
                    let (count, isLast) = handler.readBody(
                        streamID: streamID, into: UnsafeMutableBufferPointer(start: buffer, count: length)
                    )
                    if isLast {
                        flags.pointee |= UInt32(NGHTTP2_DATA_FLAG_EOF.rawValue)
                    }
                    return count
                }
            }
        )
    }
}

/// Calls `body` with the handler behind nghttp2's `user_data`, or returns `otherwise` (a free
/// function: C callbacks cannot capture).
@inline(__always)
private func withHandler<Result>(
    _ userData: UnsafeMutableRawPointer?, otherwise: Result, _ body: (HTTP2ClientHandler) -> Result
) -> Result {
    guard let userData else { return otherwise }
    // The handler owns the session whose call is running, so it outlives this callback.
    return Unmanaged<HTTP2ClientHandler>.fromOpaque(userData)._withUnsafeGuaranteedRef(body)
}
