import Foundation
import SwiftCSV

/// The records of a data source, read once: a CSV file with a header row, or a JSON array of
/// objects. Every value is kept as text, since it is only ever put into `${data.NAME.COLUMN}`.
///
/// The plan's validation reads the columns through it and the engine the rows, so both agree
/// on what a file holds.
public struct DataTable: Sendable, Hashable {
    public let columns: [String]
    public let rows: [[String: String]]

    public init(columns: [String], rows: [[String: String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Reads `source`, its path taken relative to `baseDirectory` unless absolute.
    public static func load(_ source: DataSource, baseDirectory: String) throws(DataTableError) -> DataTable {
        let path = source.file.hasPrefix("/") ? source.file : (baseDirectory as NSString).appendingPathComponent(source.file)
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw .unreadable(source: source.name, path: path)
        }
        switch source.format {
        case .csv:
            let text = String(decoding: contents, as: UTF8.self)
            let csv: CSV<Named>
            do { csv = try CSV<Named>(string: text, delimiter: .comma) } catch {
                throw .malformed(source: source.name, file: source.file, reason: "\(error)")
            }
            let columns = csv.header.map { $0.trimmingWhitespace() }
            guard !columns.isEmpty, columns.allSatisfy({ !$0.isEmpty }) else {
                throw .malformed(source: source.name, file: source.file, reason: "it needs a header row naming every column")
            }
            return DataTable(columns: columns, rows: csv.rows)
        case .json:
            guard let array = try? JSONSerialization.jsonObject(with: contents) as? [Any],
                  let objects = array as? [[String: Any]], let first = objects.first
            else {
                throw .malformed(source: source.name, file: source.file, reason: "it must hold a non-empty JSON array of objects")
            }
            let rows = objects.map { object in object.mapValues { value in
                if let text = value as? String { return text }
                if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) {
                    return String(decoding: data, as: UTF8.self)
                }
                return "\(value)"
            } }
            return DataTable(columns: first.keys.sorted(), rows: rows)
        }
    }
}

/// Why a data file could not be used.
public enum DataTableError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(source: String, path: String)
    case malformed(source: String, file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let source, let path): "data source \"\(source)\": cannot read file \"\(path)\""
        case .malformed(let source, let file, let reason): "data source \"\(source)\": \"\(file)\" is not usable: \(reason)"
        }
    }
}
