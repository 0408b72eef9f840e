import LoadTreeCore
import LoadTreeHTTP

/// The series one request step records into, for one status: built once per (step, status,
/// group) and cached by the VU, since building tag sets per request would dominate the cost.
struct RequestMetrics {
    let reqs: SeriesKey
    let failed: SeriesKey
    let duration: SeriesKey
    let blocked: SeriesKey
    let connecting: SeriesKey
    let tlsHandshaking: SeriesKey
    let sending: SeriesKey
    let waiting: SeriesKey
    let receiving: SeriesKey
    let intended: SeriesKey
    let dataSent: SeriesKey
    let dataReceived: SeriesKey

    init(base: TagSet, name: String, method: String, status: Int, group: String, proto: String, errorCode: Int = 0) {
        let expected = (200..<400).contains(status)
        var tags = base
            .setting("name", to: name)
            .setting("method", to: method)
            .setting("status", to: String(status))
            .setting("group", to: group)
            .setting("expected_response", to: expected ? "true" : "false")
            .setting("proto", to: proto)
        if errorCode != 0 {
            tags = tags.setting("error_code", to: String(errorCode))
        }
        func key(_ metric: String, _ tags: TagSet) -> SeriesKey {
            guard let key = try? SeriesKey(metric, tags: tags) else { preconditionFailure("built-in metric \(metric)") }
            return key
        }
        reqs = key("http_reqs", tags)
        failed = key("http_req_failed", tags)
        duration = key("http_req_duration", tags)
        blocked = key("http_req_blocked", tags)
        connecting = key("http_req_connecting", tags)
        tlsHandshaking = key("http_req_tls_handshaking", tags)
        sending = key("http_req_sending", tags)
        waiting = key("http_req_waiting", tags)
        receiving = key("http_req_receiving", tags)
        intended = key("http_req_duration_intended", tags)
        // Data counters carry only the scenario-level tags, as in the reference.
        dataSent = key("data_sent", base)
        dataReceived = key("data_received", base)
    }

    /// The samples of one response (its own hop: redirects are recorded separately, as the
    /// reference does). `lateness` is how late the iteration started against the schedule
    /// (arrival-rate executors), added to give the latency a user saw as intended.
    func samples(_ response: HTTPResponse, lateness: Int64?) -> [MetricSample] {
        let failed = response.error != nil || !(200..<400).contains(response.status)
        return samples(timings: response.timings, failed: failed, sent: response.bytesSent, received: response.bytesReceived, lateness: lateness)
    }

    /// The samples of one redirect hop.
    func samples(_ hop: HTTPHop) -> [MetricSample] {
        samples(timings: hop.timings, failed: !(200..<400).contains(hop.status), sent: hop.bytesSent, received: hop.bytesReceived, lateness: nil)
    }

    private func samples(timings t: HTTPTimings, failed: Bool, sent: Int, received: Int, lateness: Int64?) -> [MetricSample] {
        var samples = [
            MetricSample(1, reqs, type: .counter),
            MetricSample(failed ? 1 : 0, self.failed, type: .rate),
            MetricSample(Self.ms(t.duration), duration, type: .trend, kind: .time),
            MetricSample(Self.ms(t.blocked), blocked, type: .trend, kind: .time),
            MetricSample(Self.ms(t.connecting), connecting, type: .trend, kind: .time),
            MetricSample(Self.ms(t.tlsHandshaking), tlsHandshaking, type: .trend, kind: .time),
            MetricSample(Self.ms(t.sending), sending, type: .trend, kind: .time),
            MetricSample(Self.ms(t.waiting), waiting, type: .trend, kind: .time),
            MetricSample(Self.ms(t.receiving), receiving, type: .trend, kind: .time),
            MetricSample(Double(sent), dataSent, type: .counter, kind: .data),
            MetricSample(Double(received), dataReceived, type: .counter, kind: .data),
        ]
        if let lateness {
            samples.append(MetricSample(Self.ms(t.duration) + Double(max(0, lateness)) / 1e6, intended, type: .trend, kind: .time))
        }
        return samples
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.nanoseconds) / 1e6
    }
}
