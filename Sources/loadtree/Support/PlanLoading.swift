import ArgumentParser
import LoadTreeCore

/// Loads a plan for a command, printing every error (`file:line:column: error: …`) and mapping
/// an invalid plan to exit code 104, as the reference does for invalid configuration.
func loadPlan(_ path: String) throws(ExitCode) -> Plan {
    do {
        return try PlanLoader.load(path: path)
    } catch {
        let count = error.errors.count
        throw fail("\(error)\n\(count) error\(count == 1 ? "" : "s") in \(path)")
    }
}

/// Loads a plan given as text (the embedded demo).
func loadPlan(text: String, name: String) throws(ExitCode) -> Plan {
    do {
        return try PlanLoader.load(text: text, fileName: name)
    } catch {
        throw fail("\(error)")
    }
}
