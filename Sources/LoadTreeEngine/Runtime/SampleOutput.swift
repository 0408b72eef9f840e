/// Receives every sample as it is recorded, for outputs that keep the raw time series
/// (`--out json=FILE`). Called from VUs: implementations must be cheap and thread-safe.
public protocol SampleOutput: Sendable {
    /// `time` is nanoseconds on the run clock.
    func write(_ samples: [MetricSample], at time: Int64)
}
