/// A named data file whose records flows read (`data: {users: {file: users.csv}}`).
///
/// Only the name, path and format live in the plan: how rows are handed to VUs is the
/// engine's business, so the plan stays free of runtime policy.
public struct DataSource: Sendable, Hashable {
    /// The file format of a data source.
    public enum Format: String, Sendable, CaseIterable, Hashable {
        /// Comma-separated values with a header row naming the columns.
        case csv
        /// A JSON array of objects.
        case json
    }

    /// The name flows use: `${data.NAME.COLUMN}`.
    public var name: String
    /// The file path as written, relative to the plan file.
    public var file: String
    /// How the file is read.
    public var format: Format

    public init(name: String, file: String, format: Format) {
        self.name = name
        self.file = file
        self.format = format
    }
}
