import LoadTreeCore
import LoadTreeHTTP

/// The series one request step records into, for one status: built once per (step, status,
/// group) and cached by the VU, since building tag sets per request would dominate the cost.
struct RequestMetrics {
    typealias Series = MetricsCollector.Series

    // Nil only when the plan gave one of these names another type (validation prevents it):
    // such samples are dropped, as the collector drops any clashing sample.
    let reqs: Series?
    let failed: Series?
    let duration: Series?
    let blocked: Series?
    let connecting: Series?
    let tlsHandshaking: Series?
    let sending: Series?
    let waiting: Series?
    let receiving: Series?
    let intended: Series?
    let dataSent: Series?
    let dataReceived: Series?

    init(base: TagSet, name: String, method: String, status: Int, group: String, proto: String, errorCode: Int = 0,
         metrics: MetricsCollector) {
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
        func series(_ metric: String, _ tags: TagSet, _ type: MetricType, _ kind: ValueKind = .default) -> Series? {
            guard let key = try? SeriesKey(metric, tags: tags) else { preconditionFailure("built-in metric \(metric)") }
            return metrics.series(key, type: type, kind: kind)
        }
        reqs = series("http_reqs", tags, .counter)
        failed = series("http_req_failed", tags, .rate)
        duration = series("http_req_duration", tags, .trend, .time)
        blocked = series("http_req_blocked", tags, .trend, .time)
        connecting = series("http_req_connecting", tags, .trend, .time)
        tlsHandshaking = series("http_req_tls_handshaking", tags, .trend, .time)
        sending = series("http_req_sending", tags, .trend, .time)
        waiting = series("http_req_waiting", tags, .trend, .time)
        receiving = series("http_req_receiving", tags, .trend, .time)
        intended = series("http_req_duration_intended", tags, .trend, .time)
        // Data counters carry only the scenario-level tags, as in the reference.
        dataSent = series("data_sent", base, .counter, .data)
        dataReceived = series("data_received", base, .counter, .data)
    }

    /// Appends the samples of one response (its own hop: redirects are recorded separately, as
    /// the reference does). `lateness` is how late the iteration started against the schedule
    /// (arrival-rate executors), added to give the latency a user saw as intended.
    func append(_ response: HTTPResponse, lateness: Int64?, to samples: inout [(series: Series, value: Double)]) {
        let failed = response.error != nil || !(200..<400).contains(response.status)
        append(timings: response.timings, failed: failed, sent: response.bytesSent, received: response.bytesReceived,
               lateness: lateness, to: &samples)
    }

    /// Appends the samples of one redirect hop.
    func append(_ hop: HTTPHop, to samples: inout [(series: Series, value: Double)]) {
        append(timings: hop.timings, failed: !(200..<400).contains(hop.status), sent: hop.bytesSent, received: hop.bytesReceived,
               lateness: nil, to: &samples)
    }

    private func append(
        timings t: HTTPTimings, failed: Bool, sent: Int, received: Int, lateness: Int64?,
        to samples: inout [(series: Series, value: Double)]
    ) {
        func add(_ series: Series?, _ value: Double) {
            if let series { samples.append((series, value)) }
        }
        add(reqs, 1)
        add(self.failed, failed ? 1 : 0)
        add(duration, Self.ms(t.duration))
        add(blocked, Self.ms(t.blocked))
        add(connecting, Self.ms(t.connecting))
        add(tlsHandshaking, Self.ms(t.tlsHandshaking))
        add(sending, Self.ms(t.sending))
        add(waiting, Self.ms(t.waiting))
        add(receiving, Self.ms(t.receiving))
        add(dataSent, Double(sent))
        add(dataReceived, Double(received))
        if let lateness {
            add(intended, Self.ms(t.duration) + Double(max(0, lateness)) / 1e6)
        }
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.nanoseconds) / 1e6
    }
}
