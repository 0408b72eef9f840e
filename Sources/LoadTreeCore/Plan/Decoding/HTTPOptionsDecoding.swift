import Yams

/// The `http:` mapping of scenarios and requests.
extension PlanDecoder {
    /// Decodes `http: {version, connections}`; `allowsConnections` is false for requests (a
    /// pool is shared by a whole scenario).
    func httpOptions(_ node: Node, what: String, mark: Mark?, allowsConnections: Bool) -> HTTPOptions? {
        guard let f = fields(node, context: "\"http\" in \(what)", mark: mark) else { return nil }
        let before = errorCount
        checkKeys(f, allowed: allowsConnections ? ["version", "connections"] : ["version"]) { key in
            key == "connections"
                ? "\"connections\" is a scenario option (VUs of a scenario share the pool); move it to the scenario's \"http\""
                : nil
        }
        let version = choice(f, "version", HTTPOptions.Version.allCases.map { ($0.rawValue, $0) })
        let connections = int(f, "connections", atLeast: 1)
        if let connections, version == .http1_1 {
            error(f.keyMark("connections"),
                  "\(f.describe("connections")) (\(connections)) shares HTTP/2 connections, but \"version\" is \"1.1\"; "
                      + "use version \"2\" or remove \"connections\"")
        }
        guard errorCount == before else { return nil }
        return HTTPOptions(version: version, connections: connections.map { Int($0) })
    }
}
