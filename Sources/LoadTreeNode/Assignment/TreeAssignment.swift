import Foundation
import LoadTreeCore
import LoadTreeWire

/// What the root sends down once the tree has assembled: the plan as the root read it, the
/// global segment sequence with every leaf's segment, and how to run. Every agent parses the
/// same plan text and stripes against the same sequence, so the union of what the agents run
/// is exactly the unsegmented test.
public struct TreeAssignment: Sendable, Equatable {
    public var planText: String
    public var planFileName: String
    /// The full sequence over all leaves (`0,1/4,1/2,1`).
    public var sequence: String
    /// Every leaf's segment by node id.
    public var leafSegments: [String: String]
    /// Data files the plan names, relative to its directory, so agents need nothing else.
    public var files: [String: [UInt8]]
    /// `${env.NAME}` values as the root saw them.
    public var environment: [String: String]
    /// `--var NAME=VALUE` given to the root.
    public var vars: [String: String]
    /// Tags for every sample of the receiving subtree (its `zone`).
    public var tags: [String: String]
    public var metricInterval: Duration
    /// How long a node that lost its parent may keep its load running.
    public var upstreamGrace: Duration

    public init(planText: String, planFileName: String, sequence: String, leafSegments: [String: String],
                files: [String: [UInt8]] = [:], environment: [String: String] = [:], vars: [String: String] = [:],
                tags: [String: String] = [:], metricInterval: Duration = .seconds(1), upstreamGrace: Duration = .seconds(10)) {
        self.planText = planText
        self.planFileName = planFileName
        self.sequence = sequence
        self.leafSegments = leafSegments
        self.files = files
        self.environment = environment
        self.vars = vars
        self.tags = tags
        self.metricInterval = metricInterval
        self.upstreamGrace = upstreamGrace
    }

    /// The same assignment for a child in `zone`.
    public func forChild(zone: String) -> TreeAssignment {
        var copy = self
        copy.tags["zone"] = zone
        return copy
    }
}

extension TreeAssignment {
    /// The assignment for the child `id` on the wire (its own segment filled in).
    func wire(for id: String) -> Loadtree_V1_Down {
        .with { down in
            down.assignment = .with {
                $0.planText = planText
                $0.planFileName = planFileName
                $0.segment = leafSegments[id] ?? ""
                $0.sequence = sequence
                $0.leafSegments = leafSegments
                $0.files = files.sorted { $0.key < $1.key }.map { path, content in
                    .with {
                        $0.path = path
                        $0.content = Data(content)
                    }
                }
                $0.environment = environment
                $0.vars = vars
                $0.start = .with {
                    $0.metricIntervalMs = UInt32(clamping: metricInterval.nanoseconds / 1_000_000)
                    $0.upstreamGraceMs = UInt32(clamping: upstreamGrace.nanoseconds / 1_000_000)
                    $0.tags = tags
                }
            }
        }
    }

    /// An assignment received from the parent. A parent is not trusted: what cannot be used is
    /// refused here with the reason, before anything runs.
    init(wire: Loadtree_V1_Assignment) throws(AssignmentReceiveError) {
        guard !wire.planText.isEmpty else { throw .invalid("the assignment carries no plan") }
        var files: [String: [UInt8]] = [:]
        for file in wire.files {
            // Files land in a directory of their own: no absolute paths, no way out of it.
            let parts = file.path.split(separator: "/")
            guard !file.path.hasPrefix("/"), !parts.isEmpty, !parts.contains("..") else {
                throw .invalid("the assignment names a data file outside the plan's directory: \(file.path)")
            }
            files[file.path] = Array(file.content)
        }
        let interval = wire.start.metricIntervalMs == 0 ? 1000 : Int64(wire.start.metricIntervalMs)
        let grace = wire.start.upstreamGraceMs == 0 ? 10_000 : Int64(wire.start.upstreamGraceMs)
        self.init(planText: wire.planText, planFileName: wire.planFileName.isEmpty ? "plan.yaml" : wire.planFileName,
                  sequence: wire.sequence, leafSegments: wire.leafSegments, files: files,
                  environment: wire.environment, vars: wire.vars, tags: wire.start.tags,
                  metricInterval: .milliseconds(interval), upstreamGrace: .milliseconds(grace))
    }

    /// The tuple a leaf runs: its segment in the global sequence.
    public func tuple(for id: String) throws(AssignmentReceiveError) -> ExecutionTuple {
        guard let text = leafSegments[id] else { throw .invalid("the assignment has no segment for \(id)") }
        do {
            let sequence = try ExecutionSegmentSequence(parsing: sequence)
            return try ExecutionTuple(segment: try ExecutionSegment(parsing: text), sequence: sequence)
        } catch {
            throw .invalid("the assignment's segment \(text) in \(sequence) is not usable: \(error)")
        }
    }
}

/// Why a node cannot run what its parent assigned.
public enum AssignmentReceiveError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let message): "invalid assignment: \(message)"
        }
    }
}
