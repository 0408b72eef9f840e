/// The values `${…}` references read during one iteration of one VU.
///
/// Captures live for the iteration (a new iteration starts from the plan's vars); setup values
/// and the environment are shared by every VU.
struct VariableScope {
    /// Plan `vars`, rendered once.
    let vars: [String: String]
    /// Values captured by earlier steps of this iteration.
    var captures: [String: String] = [:]
    let environment: [String: String]
    let setup: [String: String]
    /// The data rows this iteration reads, by source name.
    var rows: [String: [String: String]] = [:]
    /// `__VU`: the VU's global number (1-based).
    let vu: Int64
    /// `__ITER`: the VU's iteration number in its scenario (0-based).
    var iteration: Int64 = 0

    func variable(_ name: String) -> String? {
        captures[name] ?? vars[name]
    }

    func data(_ source: String, _ column: String) -> String? {
        rows[source]?[column]
    }
}
