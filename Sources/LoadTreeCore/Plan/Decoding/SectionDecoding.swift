import Foundation
import Yams

/// The plan's smaller sections: custom metrics, variables and data sources.
extension PlanDecoder {
    func customMetrics(_ node: Node, mark: Mark?) -> [CustomMetric] {
        guard let all = fields(node, context: "\"metrics\"", mark: mark) else { return [] }
        return all.entries.compactMap { entry in
            let context = "metric \"\(entry.key)\""
            guard let f = fields(entry.value, context: context, mark: entry.keyNode.mark) else { return nil }
            if !MetricSelector.isValidName(entry.key) {
                error(entry.keyNode.mark, ThresholdError.invalidMetricName(entry.key).description)
            } else if BuiltinMetric.named(entry.key) != nil {
                error(entry.keyNode.mark, "metric \"\(entry.key)\" is built in; give the custom metric another name")
            }
            checkKeys(f, allowed: ["type", "contains"])
            require(f, "type")
            let type = choice(f, "type", MetricType.allCases.map { ($0.rawValue, $0) })
            let kind = f.has("contains") ? choice(f, "contains", ValueKind.allCases.map { ($0.rawValue, $0) }) : .default
            guard let type, let kind else { return nil }
            return CustomMetric(name: entry.key, type: type, kind: kind)
        }
    }

    /// `vars`: strings that may refer to `${env.X}` and to variables declared before them.
    func vars(_ node: Node, mark: Mark?) -> [String: String] {
        guard let f = fields(node, context: "\"vars\"", mark: mark) else { return [:] }
        var scope = ReferenceScope()
        var vars: [String: String] = [:]
        for entry in f.entries {
            guard checkName(entry.key, at: entry.keyNode.mark, what: "variable", allowDash: false),
                  let value = string(entry.value, what: "variable \"\(entry.key)\"")
            else { continue }
            checkReferences(value, at: entry.value.mark, what: "variable \"\(entry.key)\"", scope: scope)
            vars[entry.key] = value
            scope.vars.insert(entry.key)
        }
        return vars
    }

    /// `data`: named files; columns are read when the plan's directory is known.
    func dataSources(_ node: Node, mark: Mark?, baseDirectory: String?) -> [(DataSource, Set<String>?)] {
        guard let all = fields(node, context: "\"data\"", mark: mark) else { return [] }
        return all.entries.compactMap { entry in
            let context = "data source \"\(entry.key)\""
            guard checkName(entry.key, at: entry.keyNode.mark, what: "data source", allowDash: false),
                  let f = fields(entry.value, context: context, mark: entry.keyNode.mark)
            else { return nil }
            checkKeys(f, allowed: ["file", "format", "select"])
            require(f, "file")
            guard let file = nonEmptyString(f, "file") else { return nil }
            let format: DataSource.Format?
            if f.has("format") {
                format = choice(f, "format", DataSource.Format.allCases.map { ($0.rawValue, $0) })
            } else if let inferred = DataSource.Format(rawValue: (file as NSString).pathExtension.lowercased()) {
                format = inferred
            } else {
                error(f.value("file")?.mark, "\(context) needs \"format: csv\" or \"format: json\" "
                    + "(the file name \"\(file)\" does not tell)")
                format = nil
            }
            guard let format else { return nil }
            var selection = DataSource.Selection.perIteration
            if f.has("select") {
                guard let chosen = choice(f, "select", DataSource.Selection.allCases.map { ($0.rawValue, $0) }) else { return nil }
                selection = chosen
            }
            let source = DataSource(name: entry.key, file: file, format: format, selection: selection)
            guard let baseDirectory else { return (source, nil) }
            return (source, columns(of: source, baseDirectory: baseDirectory, mark: f.value("file")?.mark))
        }
    }

    /// The columns a data file offers: a CSV header, or the keys of a JSON array's first object.
    private func columns(of source: DataSource, baseDirectory: String, mark: Mark?) -> Set<String>? {
        do {
            return Set(try DataTable.load(source, baseDirectory: baseDirectory).columns)
        } catch {
            self.error(mark, error.description)
            return nil
        }
    }
}
