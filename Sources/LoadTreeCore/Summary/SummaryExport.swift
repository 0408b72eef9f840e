import Crypto
import Foundation

extension SummaryReport {
    /// The reference's `--summary-export` document (`root_group` and `metrics`), with an `hdr`
    /// field on every trend: its histogram, V2 compressed, base64.
    ///
    /// A threshold's boolean is `true` when it *failed*, as in the reference.
    public var export: JSONValue {
        var metrics: [(String, JSONValue)] = []
        let subs = subMetrics
        for name in view.names {
            guard let sink = view.sink(name) else { continue }
            metrics.append((name, exportEntry(name: name, selector: MetricSelector(name: name), sink: sink)))
            for selector in subs[name] ?? [] {
                guard let sub = view.sink(name, containing: TagSet(selector.tags)) else { continue }
                metrics.append((selector.description, exportEntry(name: name, selector: selector, sink: sub)))
            }
        }
        // Thresholds on metrics that recorded nothing are still reported.
        for verdict in verdicts where view.sink(verdict.selector.name, containing: TagSet(verdict.selector.tags)) == nil {
            guard !metrics.contains(where: { $0.0 == verdict.selector.description }) else { continue }
            metrics.append((verdict.selector.description, .object([("thresholds", thresholdsJSON(verdict.selector))])))
        }
        var document: [(String, JSONValue)] = [
            ("root_group", groupJSON(checks)),
            ("metrics", .object(metrics)),
        ]
        if let zones = zonesExport { document.append(("zones", zones)) }
        return .object(document)
    }

    private func exportEntry(name: String, selector: MetricSelector, sink: MetricSink) -> JSONValue {
        var fields: [(String, JSONValue)] = figures(name, sink).map { ($0.0, .double($0.1)) }
        if verdicts.contains(where: { $0.selector == selector }) {
            fields.append(("thresholds", thresholdsJSON(selector)))
        }
        if case .trend(let trend) = sink, let hdr = try? HDRCodec.encodeBase64(trend.histogram.histogram) {
            fields.append(("hdr", .string(hdr)))
            fields.append(("hdr_unit", .string(trend.histogram.unit.rawValue)))
        }
        return .object(fields)
    }

    private func thresholdsJSON(_ selector: MetricSelector) -> JSONValue {
        .object(verdicts.filter { $0.selector == selector }.map { ($0.threshold.source, .bool(!$0.outcome.passed)) })
    }

    private func groupJSON(_ group: CheckGroup) -> JSONValue {
        .object([
            ("name", .string(group.name)),
            ("path", .string(group.path)),
            ("id", .string(Self.id(group.path))),
            ("groups", .object(group.groups.map { ($0.name, groupJSON($0)) })),
            ("checks", .object(group.checks.map { check in
                (check.name, .object([
                    ("name", .string(check.name)),
                    ("path", .string(check.path)),
                    ("id", .string(Self.id(check.path))),
                    ("passes", .int(Int64(clamping: check.passes))),
                    ("fails", .int(Int64(clamping: check.fails))),
                ]))
            })),
        ])
    }

    /// The reference's group and check ids: the MD5 of the path, in hex.
    static func id(_ path: String) -> String {
        Insecure.MD5.hash(data: Data(path.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
