import Foundation
import LoadTreeCore
import LoadTreeEngine

/// A run's coordinator backed by its tree node: lifecycle barriers are the tree's barriers,
/// and setup/teardown run once in the whole tree, their captures travelling as JSON.
public struct NodeCoordinator: RunCoordinator {
    public let node: RelayNode
    public let metricInterval: Duration?

    /// - Parameter metricInterval: how often the run's metrics go up the tree (default 1 s).
    public init(node: RelayNode, metricInterval: Duration = .seconds(1)) {
        self.node = node
        self.metricInterval = metricInterval
    }

    public func report(_ interval: IntervalAggregate) async {
        await node.record(interval)
        await node.flushMetrics()
    }

    public func scenariosStarted(atUnixNanoseconds unixNanoseconds: Int64) async {
        await node.reportStart(StartReport(earliest: unixNanoseconds, latest: unixNanoseconds, agents: 1), from: .local)
    }

    public func signalAndWait(_ id: String) async throws {
        try await node.signalAndWait(id)
    }

    public func once(_ id: String, _ body: @escaping @Sendable () async throws -> [String: String]) async throws -> [String: String] {
        let outcome = await node.once(id) {
            do {
                let data = try JSONEncoder().encode(try await body())
                return .value(Array(data))
            } catch {
                return .failure("\(error)")
            }
        }
        switch outcome {
        case .value(let bytes):
            do { return try JSONDecoder().decode([String: String].self, from: Data(bytes)) } catch {
                throw NodeCoordinatorError.malformedResult(id: id)
            }
        case .failure(let message):
            throw NodeCoordinatorError.failedElsewhere(id: id, message: message)
        }
    }
}

/// Why a once() body did not give a result here.
public enum NodeCoordinatorError: Error, Sendable, Equatable, CustomStringConvertible {
    case failedElsewhere(id: String, message: String)
    case malformedResult(id: String)

    public var description: String {
        switch self {
        case .failedElsewhere(let id, let message): "\(id) failed: \(message)"
        case .malformedResult(let id): "the result of \(id) sent by the tree is not a JSON object of strings"
        }
    }
}
