/// One problem in a plan file, located precisely enough for an editor to jump to it.
///
/// Printed like a compiler diagnostic (`plan.yaml:12:7: error: …`) because that is the form
/// terminals, editors and CI logs already understand.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line; 0 when the problem concerns the whole file (e.g. it cannot be read).
    public var line: Int
    /// 1-based column, counted in Unicode scalars; 0 with line 0.
    public var column: Int
    /// What is wrong and what was expected.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    }
}

/// Every problem found in a plan, reported together so a user fixes them in one pass.
///
/// Maps to exit code 104 (invalid configuration), as in the reference.
public struct PlanErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, ordered by position in the file.
    public var errors: [PlanError]

    public init(_ errors: [PlanError]) {
        self.errors = errors
    }

    /// One line per problem.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
