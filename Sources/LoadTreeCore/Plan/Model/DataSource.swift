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

    /// Which row an iteration reads.
    public enum Selection: String, Sendable, CaseIterable, Hashable {
        /// Global iteration i reads row i mod rows: every row in turn across the whole test,
        /// whichever node runs the iteration.
        case perIteration = "per-iteration"
        /// Global VU v reads row (v − 1) mod rows on every iteration: a user per VU.
        case perVU = "per-vu"
    }

    /// The name flows use: `${data.NAME.COLUMN}`.
    public var name: String
    /// The file path as written, relative to the plan file.
    public var file: String
    /// How the file is read.
    public var format: Format
    /// Which row an iteration reads (`select`, default `per-iteration`).
    public var selection: Selection

    public init(name: String, file: String, format: Format, selection: Selection = .perIteration) {
        self.name = name
        self.file = file
        self.format = format
        self.selection = selection
    }
}
