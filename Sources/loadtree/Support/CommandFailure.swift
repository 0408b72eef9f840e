import ArgumentParser
import LoadTreeCore

import Foundation

/// Prints a user-facing error to standard error and maps it to the reference tool's exit code.
///
/// Commands throw the value this returns, so that argument-parser exits with that code without
/// printing its own message a second time.
func fail(_ message: String, code: RunExitCode = .invalidConfig) -> ExitCode {
    printError(message)
    return ExitCode(code.rawValue)
}

/// Writes one or more lines to standard error.
func printError(_ message: String, newline: Bool = true) {
    var text = message
    if newline, !text.hasSuffix("\n") { text += "\n" }
    FileHandle.standardError.write(Data(text.utf8))
}
