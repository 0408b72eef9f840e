import LoadTreeCore

/// Why a tree run could not go on.
public enum TreeRunError: Error, Sendable, Hashable, CustomStringConvertible {
    case joinTimedOut(after: Duration, missing: [String])
    case unreadableDataFile(String)
    case dataFileOutsidePlan(String)

    public var description: String {
        switch self {
        case .joinTimedOut(let after, let missing):
            "the tree did not assemble within \(DurationText.format(after)); missing: \(missing.joined(separator: "; "))"
        case .unreadableDataFile(let path): "cannot read the plan's data file \(path) to send it to the agents"
        case .dataFileOutsidePlan(let path):
            "data file \(path) is not inside the plan's directory; a tree ships data files to its agents by their path relative to the plan"
        }
    }
}
