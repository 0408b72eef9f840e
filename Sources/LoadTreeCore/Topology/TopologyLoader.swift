import Foundation
import Yams

/// Reads a topology file (YAML):
///
/// ```yaml
/// zones:
///   eu-west: 60%                 # a share; the zone's agents split it by weight
///   on-prem:
///     share: 40%
///     zones:                     # nested sub-zones split the parent's share
///       dc1: {agents: 2}         # no shares at a level: equal split
///       dc2: {agents: 2}
/// ```
///
/// Errors carry `file:line:column`, like the plan's; shares of a level must sum to 100% or all
/// be omitted.
public enum TopologyLoader {
    public static func load(path: String) throws(PlanErrors) -> Topology {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanErrors([PlanError(file: path, line: 0, column: 0, message: "cannot read the topology file")])
        }
        return try load(text: String(decoding: data, as: UTF8.self), fileName: path)
    }

    public static func load(text: String, fileName: String) throws(PlanErrors) -> Topology {
        let d = PlanDecoder(file: fileName)
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw PlanErrors([PlanError(file: fileName, line: 0, column: 0, message: "invalid YAML: \(error)")])
        }
        guard let root, let top = d.fields(root, context: "the topology", mark: root.mark) else {
            throw PlanErrors(d.errors.isEmpty ? [PlanError(file: fileName, line: 0, column: 0, message: "the topology is empty; expected \"zones\"")] : d.errors)
        }
        d.checkKeys(top, allowed: ["zones"])
        d.require(top, "zones")
        let zones = top.value("zones").map { zonesOf($0, mark: top.keyMark("zones"), path: [], decoder: d) } ?? []
        if top.has("zones"), zones.isEmpty, d.errors.isEmpty {
            d.error(top.keyMark("zones"), "\"zones\" needs at least one zone")
        }
        guard d.errors.isEmpty else { throw PlanErrors(d.errors) }
        return Topology(zones: zones)
    }

    private static func zonesOf(_ node: Node, mark: Mark?, path: [String], decoder d: PlanDecoder) -> [Topology.Zone] {
        let level = path.isEmpty ? "\"zones\"" : "the zones of \(path.joined(separator: "/"))"
        guard let all = d.fields(node, context: level, mark: mark) else { return [] }
        var zones: [Topology.Zone] = []
        var shareMarks: [Mark?] = []
        for entry in all.entries {
            guard d.checkName(entry.key, at: entry.keyNode.mark, what: "zone") else { continue }
            let zonePath = path + [entry.key]
            var zone = Topology.Zone(name: entry.key)
            if case .scalar = entry.value {
                zone.share = share(entry.value, zone: zonePath, decoder: d)
                shareMarks.append(entry.value.mark)
            } else if let f = d.fields(entry.value, context: "zone \(zonePath.joined(separator: "/"))", mark: entry.keyNode.mark) {
                d.checkKeys(f, allowed: ["share", "agents", "zones"])
                zone.share = f.value("share").flatMap { share($0, zone: zonePath, decoder: d) }
                shareMarks.append(f.value("share")?.mark ?? entry.keyNode.mark)
                zone.expectedAgents = d.int(f, "agents", atLeast: 1).map(Int.init)
                if let sub = f.value("zones") {
                    zone.zones = zonesOf(sub, mark: f.keyMark("zones"), path: zonePath, decoder: d)
                    if f.has("agents") {
                        d.error(f.keyMark("agents"), "zone \(zonePath.joined(separator: "/")) has sub-zones; give \"agents\" to the sub-zones instead")
                    }
                }
            }
            zones.append(zone)
        }
        let given = zones.compactMap(\.share)
        if !given.isEmpty, given.count != zones.count {
            d.error(mark, "at \(level), give every zone a share or none (an equal split)")
        } else if !given.isEmpty {
            let total = given.reduce(Rational.zero) { (try? $0 + $1) ?? $0 }
            if total != .one {
                d.error(shareMarks.last ?? mark, "the shares of \(level) sum to \(percent(total)), not 100%")
            }
        }
        return zones
    }

    private static func share(_ node: Node, zone: [String], decoder d: PlanDecoder) -> Rational? {
        guard let text = d.string(node, what: "the share of zone \(zone.joined(separator: "/"))") else { return nil }
        guard let value = try? ExecutionSegment.bound(text, in: text), value > .zero, value <= .one else {
            d.error(node.mark, "the share of zone \(zone.joined(separator: "/")) must be a whole percentage like 60% or a fraction like 3/5 in (0, 1], found \"\(text)\"")
            return nil
        }
        return value
    }

    private static func percent(_ r: Rational) -> String {
        let value = Double(r.numerator) / Double(r.denominator) * 100
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.2f%%", value)
    }
}
