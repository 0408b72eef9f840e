/// Who takes part in a node's sync: its own engine, or one of its children (by node id).
///
/// A node counts its participants, not the agents below them: that is what makes the tree a
/// combining tree, with O(children) work per node whatever the fleet's size.
public enum Participant: Hashable, Sendable, CustomStringConvertible {
    case local
    case child(String)

    public var description: String {
        switch self {
        case .local: "this node"
        case .child(let id): "child \(id)"
        }
    }
}
