import Foundation

/// The groups and checks of a run, rebuilt from the `checks` metric's `group` and `check` tags:
/// the reference's `root_group` with passes and fails per check.
public struct CheckGroup: Sendable {
    public let name: String
    /// `::outer::inner`; the root's is "".
    public let path: String
    public var groups: [CheckGroup]
    public var checks: [Check]

    public struct Check: Sendable {
        public let name: String
        public let path: String
        public var passes: UInt64
        public var fails: UInt64
    }

    init(name: String, path: String) {
        self.name = name
        self.path = path
        self.groups = []
        self.checks = []
    }

    /// The tree of every check in the view, groups and checks in name order.
    public static func build(from view: MetricsView) -> CheckGroup {
        var root = CheckGroup(name: "", path: "")
        for (tags, sink) in view.series("checks") {
            guard case .rate(let rate) = sink, let check = tags["check"] else { continue }
            let groupPath = tags["group"] ?? ""
            let names = groupPath.components(separatedBy: "::").filter { !$0.isEmpty }
            root.add(check: check, passes: rate.trues, fails: rate.falses, in: names[...])
        }
        root.sort()
        return root
    }

    /// The group at `path` (`::outer::inner`) in this tree, or an empty one when it has none.
    public func subgroup(at path: String) -> CheckGroup {
        if self.path == path { return self }
        for group in groups where path == group.path || path.hasPrefix(group.path + "::") {
            return group.subgroup(at: path)
        }
        return CheckGroup(name: "", path: path)
    }

    private mutating func add(check: String, passes: UInt64, fails: UInt64, in groups: ArraySlice<String>) {
        if let first = groups.first {
            if let index = self.groups.firstIndex(where: { $0.name == first }) {
                self.groups[index].add(check: check, passes: passes, fails: fails, in: groups.dropFirst())
            } else {
                var group = CheckGroup(name: first, path: path + "::" + first)
                group.add(check: check, passes: passes, fails: fails, in: groups.dropFirst())
                self.groups.append(group)
            }
            return
        }
        if let index = checks.firstIndex(where: { $0.name == check }) {
            checks[index].passes += passes
            checks[index].fails += fails
        } else {
            checks.append(Check(name: check, path: path + "::" + check, passes: passes, fails: fails))
        }
    }

    private mutating func sort() {
        groups.sort { $0.name < $1.name }
        checks.sort { $0.name < $1.name }
        for i in groups.indices { groups[i].sort() }
    }
}
