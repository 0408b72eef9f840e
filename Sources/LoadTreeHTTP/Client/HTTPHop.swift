/// One redirect that was followed on the way to the final response.
///
/// The reference tool records every hop of a redirect chain as its own request (one
/// `http_reqs` sample, its own timings and data counters), so the engine needs each hop, not
/// only the last one.
public struct HTTPHop: Sendable, Hashable {
    public var method: String
    public var url: HTTPURL
    public var status: Int
    public var timings: HTTPTimings
    /// Request bytes written for this hop.
    public var bytesSent: Int
    /// Response bytes read for this hop (status line, headers and body as on the wire).
    public var bytesReceived: Int

    public init(method: String, url: HTTPURL, status: Int, timings: HTTPTimings, bytesSent: Int, bytesReceived: Int) {
        self.method = method
        self.url = url
        self.status = status
        self.timings = timings
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
    }
}
