import Foundation
import LoadTreeCore
import LoadTreeWire

/// The node's messages on the wire (`loadtree.v1.Up` / `Down`). Messages of the link itself
/// (hello, welcome, clock probes, ...) are not node messages: decoding them gives nil, and the
/// link handles them.
extension UpMessage {
    /// The message on its own: a metric batch names every series in full.
    public func wire() throws(MetricBatchError) -> Loadtree_V1_Up {
        var standalone = SeriesNumbering(enabled: false)
        return try wire(numbering: &standalone)
    }

    /// The message on a stream whose series `numbering` numbers (see ``SeriesNumbering``).
    public func wire(numbering: inout SeriesNumbering) throws(MetricBatchError) -> Loadtree_V1_Up {
        var up = Loadtree_V1_Up()
        switch self {
        case .barrierArrive(let id):
            var message = Loadtree_V1_BarrierArrive()
            message.id = id
            up.barrierArrive = message
        case .barrierFail(let id, let text):
            var message = Loadtree_V1_BarrierError()
            message.id = id
            message.message = text
            up.barrierError = message
        case .onceAsk(let id):
            var message = Loadtree_V1_DataOnce()
            message.id = id
            up.dataOnce = message
        case .onceResult(let id, let outcome):
            var message = Loadtree_V1_DataSet()
            message.id = id
            switch outcome {
            case .value(let bytes): message.value = Data(bytes)
            case .failure(let text): message.error = text
            }
            up.dataSet = message
        case .metrics(let sender, let sequence, let aggregate):
            up.metricBatch = try MetricBatchCoding.encode(aggregate, sender: sender, sequence: sequence, numbering: &numbering)
        case .abort(let reason, let code):
            up.abort = Self.abort(reason, code)
        case .started(let report):
            up.startReport = .with {
                $0.earliestUnixNs = report.earliest
                $0.latestUnixNs = report.latest
                $0.agents = UInt32(clamping: report.agents)
            }
        }
        return up
    }

    /// The node message an `Up` carries on its own; nil for link-level messages. An untrusted
    /// batch that does not decode throws (a series number is undefined here).
    public init?(wire up: Loadtree_V1_Up) throws(MetricBatchError) {
        var directory = SeriesDirectory()
        try self.init(wire: up, directory: &directory)
    }

    /// The node message an `Up` of a stream carries, its series numbers in `directory`.
    public init?(wire up: Loadtree_V1_Up, directory: inout SeriesDirectory) throws(MetricBatchError) {
        switch up.message {
        case .barrierArrive(let m): self = .barrierArrive(m.id)
        case .barrierError(let m): self = .barrierFail(m.id, message: m.message)
        case .dataOnce(let m): self = .onceAsk(m.id)
        case .dataSet(let m):
            switch m.result {
            case .value(let bytes): self = .onceResult(m.id, .value(Array(bytes)))
            case .error(let text): self = .onceResult(m.id, .failure(text))
            case nil: self = .onceResult(m.id, .failure("the result of \(m.id) was empty"))
            }
        case .metricBatch(let batch):
            self = .metrics(sender: batch.sender, sequence: batch.sequence, try MetricBatchCoding.decode(batch, directory: &directory))
        case .abort(let m): self = .abort(reason: m.reason, code: RunExitCode(rawValue: m.exitCode) ?? .genericError)
        case .startReport(let m):
            // A report that contradicts itself is a broken peer's: not a node message.
            guard m.earliestUnixNs <= m.latestUnixNs, m.agents > 0 else { return nil }
            self = .started(StartReport(earliest: m.earliestUnixNs, latest: m.latestUnixNs, agents: Int(m.agents)))
        default: return nil
        }
    }

    static func abort(_ reason: String, _ code: RunExitCode) -> Loadtree_V1_Abort {
        var message = Loadtree_V1_Abort()
        message.reason = reason
        message.exitCode = code.rawValue
        return message
    }
}

extension DownMessage {
    public var wire: Loadtree_V1_Down {
        var down = Loadtree_V1_Down()
        switch self {
        case .barrierRelease(let id, let at):
            var message = Loadtree_V1_BarrierRelease()
            message.id = id
            message.releaseAtUnixNs = at ?? 0
            down.barrierRelease = message
        case .barrierFail(let id, let text):
            var message = Loadtree_V1_BarrierFailed()
            message.id = id
            message.message = text
            down.barrierFailed = message
        case .onceRun(let id):
            var message = Loadtree_V1_RunOnce()
            message.id = id
            down.runOnce = message
        case .onceValue(let id, let outcome):
            var message = Loadtree_V1_DataValue()
            message.id = id
            switch outcome {
            case .value(let bytes): message.value = Data(bytes)
            case .failure(let text): message.error = text
            }
            down.dataValue = message
        case .metricsAck(let sequence):
            var message = Loadtree_V1_MetricAck()
            message.sequence = sequence
            down.metricAck = message
        case .abort(let reason, let code):
            down.abort = UpMessage.abort(reason, code)
        }
        return down
    }

    /// The node message a `Down` carries; nil for link-level messages.
    public init?(wire down: Loadtree_V1_Down) {
        switch down.message {
        case .barrierRelease(let m): self = .barrierRelease(m.id, at: m.releaseAtUnixNs == 0 ? nil : m.releaseAtUnixNs)
        case .barrierFailed(let m): self = .barrierFail(m.id, message: m.message)
        case .runOnce(let m): self = .onceRun(m.id)
        case .dataValue(let m):
            switch m.result {
            case .value(let bytes): self = .onceValue(m.id, .value(Array(bytes)))
            case .error(let text): self = .onceValue(m.id, .failure(text))
            case nil: self = .onceValue(m.id, .failure("the value of \(m.id) was empty"))
            }
        case .metricAck(let m): self = .metricsAck(m.sequence)
        case .abort(let m): self = .abort(reason: m.reason, code: RunExitCode(rawValue: m.exitCode) ?? .genericError)
        default: return nil
        }
    }
}
