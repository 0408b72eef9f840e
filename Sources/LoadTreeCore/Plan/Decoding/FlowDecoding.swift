import Yams

/// Where a step sits, for messages: `flow "browse" step 2.1`.
struct StepPath {
    /// `flow "browse"`, `setup` or `teardown`.
    var owner: String
    var indices: [Int]

    func child(_ index: Int) -> StepPath { StepPath(owner: owner, indices: indices + [index]) }

    var description: String {
        "\(owner) step " + indices.map(String.init).joined(separator: ".")
    }
}

/// Flows, setup and teardown: lists of steps, each a mapping with exactly one key.
extension PlanDecoder {
    static let stepKinds = ["request", "sleep", "group"]
    static let requestKeys = ["method", "url", "headers", "query", "body", "json", "timeout", "name", "checks", "capture", "http"]
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    func steps(_ node: Node, path: StepPath, scope: inout ReferenceScope) -> [FlowStep] {
        let what = path.indices.isEmpty ? path.owner : "the steps of \(path.description)"
        guard let items = list(node, what: what) else { return [] }
        var steps: [FlowStep] = []
        for (index, item) in items.enumerated() {
            if let step = step(item, path: path.child(index + 1), scope: &scope) { steps.append(step) }
        }
        return steps
    }

    func step(_ node: Node, path: StepPath, scope: inout ReferenceScope) -> FlowStep? {
        let kinds = Self.stepKinds.joined(separator: ", ")
        guard let f = fields(node, context: path.description, mark: node.mark) else { return nil }
        checkKeys(f, allowed: Self.stepKinds, hints: ["get": "request", "post": "request", "http": "request", "think": "sleep"])
        let present = f.entries.filter { Self.stepKinds.contains($0.key) }
        guard let entry = present.first else {
            if f.entries.isEmpty { error(node.mark, "\(path.description) is empty; a step holds one of \(kinds)") }
            return nil
        }
        if present.count > 1 {
            error(present[1].keyNode.mark, "\(path.description) holds both \"\(entry.key)\" and \"\(present[1].key)\"; "
                + "write one step per list item")
            return nil
        }
        switch entry.key {
        case "request":
            return request(entry.value, path: path, mark: entry.keyNode.mark, scope: &scope).map { .request($0) }
        case "sleep":
            return sleep(entry.value, what: "\"sleep\" in \(path.description)").map { .sleep($0) }
        default:
            guard let g = fields(entry.value, context: "group in \(path.description)", mark: entry.keyNode.mark) else { return nil }
            checkKeys(g, allowed: ["name", "steps"])
            require(g, "name", "steps")
            let name = nonEmptyString(g, "name")
            let inner = g.value("steps").map { steps($0, path: path, scope: &scope) }
            guard let name, let inner else { return nil }
            return .group(GroupStep(name: name, steps: inner))
        }
    }

    /// `sleep: 1s` or `sleep: 1s..3s`.
    func sleep(_ node: Node, what: String) -> SleepStep? {
        guard let text = string(node, what: what) else { return nil }
        let bounds = text.split(separator: "..", maxSplits: 1, omittingEmptySubsequences: false)
        if bounds.contains(where: { Double(String($0).trimmingWhitespace()) != nil }) {
            // The reference's sleep(1) is one second while its bare-number options are
            // milliseconds: refuse to guess.
            error(node.mark, "\(what) needs a unit, such as 1s or 500ms, found \"\(text)\"")
            return nil
        }
        let parsed = bounds.compactMap { bound -> Duration? in
            do { return try DurationText.parse(String(bound)) } catch {
                self.error(node.mark, "invalid duration for \(what): \(error)")
                return nil
            }
        }
        guard parsed.count == bounds.count else { return nil }
        if parsed.count == 2, parsed[0] > parsed[1] {
            error(node.mark, "\(what) goes from \(DurationText.format(parsed[0])) down to \(DurationText.format(parsed[1])); "
                + "write the shorter pause first, such as 1s..3s")
            return nil
        }
        return SleepStep(minimum: parsed[0], maximum: parsed[parsed.count - 1])
    }

    func request(_ node: Node, path: StepPath, mark: Mark?, scope: inout ReferenceScope) -> RequestStep? {
        let context = "request in \(path.description)"
        guard let f = fields(node, context: context, mark: mark) else { return nil }
        let before = errorCount
        checkKeys(f, allowed: Self.requestKeys, hints: ["params": "query", "data": "body", "check": "checks", "captures": "capture"])
        require(f, "url")

        var method = "GET"
        if let node = f.value("method"), let text = string(node, what: f.describe("method")) {
            method = text.uppercased()
            if !Self.methods.contains(method) {
                let hint = Suggestion.closest(to: method, among: Self.methods).map { "; did you mean \"\($0)\"?" }
                    ?? "; use " + Self.methods.joined(separator: ", ")
                error(node.mark, "unknown HTTP method \"\(text)\" in \(context)\(hint)")
            }
        }
        let url = string(f, "url")
        if let url, let node = f.value("url") {
            if !(url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("${")) {
                error(node.mark, "\(f.describe("url")) must be an absolute http:// or https:// URL, found \"\(url)\"")
            }
            checkReferences(url, at: node.mark, what: f.describe("url"), scope: scope)
        }
        let headers = stringPairs(f, "headers") ?? []
        let query = stringPairs(f, "query") ?? []
        for key in ["headers", "query"] {
            guard let node = f.value(key), case .mapping(let mapping) = node else { continue }
            for (_, value) in mapping {
                if let text = value.scalar?.string {
                    checkReferences(text, at: value.mark, what: f.describe(key), scope: scope)
                }
            }
        }
        var body: RequestBody?
        if f.has("body"), f.has("json") {
            error(f.keyMark("json"), "\(context) sets both \"body\" and \"json\"; keep one")
        } else if let text = string(f, "body") {
            checkReferences(text, at: f.value("body")?.mark, what: f.describe("body"), scope: scope)
            body = .text(text)
        } else if let node = f.value("json") {
            checkReferences(inJSON: node, what: f.describe("json"), scope: scope)
            body = .json(json(node))
        }
        let timeout = positiveDuration(f, "timeout")
        let name = nonEmptyString(f, "name")
        let checks = f.value("checks").map { self.checks($0, what: context, scope: scope) } ?? []
        let captures = f.value("capture").map { self.captures($0, what: context, mark: f.keyMark("capture")) } ?? []
        scope.captures.formUnion(captures.map(\.variable))
        let http = f.value("http").flatMap { httpOptions($0, what: context, mark: f.keyMark("http"), allowsConnections: false) }
        guard errorCount == before, let url else { return nil }
        return RequestStep(
            method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) },
            query: query.map { (name: $0.0, value: $0.1) }, body: body, timeout: timeout, name: name,
            checks: checks, captures: captures, http: http)
    }

    func captures(_ node: Node, what: String, mark: Mark?) -> [Capture] {
        guard let f = fields(node, context: "\"capture\" in \(what)", mark: mark) else { return [] }
        var captures: [Capture] = []
        for entry in f.entries {
            let context = "capture \"\(entry.key)\" in \(what)"
            guard checkName(entry.key, at: entry.keyNode.mark, what: "capture variable", allowDash: false),
                  let c = fields(entry.value, context: context, mark: entry.keyNode.mark)
            else { continue }
            let sources = ["json", "header", "regex"]
            checkKeys(c, allowed: sources)
            let present = c.entries.filter { sources.contains($0.key) }
            guard present.count == 1, let source = present.first else {
                error(present.count > 1 ? present[1].keyNode.mark : entry.keyNode.mark,
                      "\(context) needs exactly one of json, header, regex")
                continue
            }
            guard let text = string(source.value, what: c.describe(source.key)) else { continue }
            switch source.key {
            case "json":
                if let path = jsonPath(text, at: source.value.mark, what: c.describe("json")) {
                    captures.append(Capture(variable: entry.key, source: .json(path)))
                }
            case "header":
                captures.append(Capture(variable: entry.key, source: .header(text)))
            default:
                if checkRegex(text, at: source.value.mark, what: c.describe("regex")) {
                    captures.append(Capture(variable: entry.key, source: .regex(text)))
                }
            }
        }
        return captures
    }

    func jsonPath(_ text: String, at mark: Mark?, what: String) -> JSONPath? {
        do {
            return try JSONPath(parsing: text)
        } catch {
            self.error(mark, "invalid JSON path for \(what): \(error)")
            return nil
        }
    }

    /// Whether `pattern` compiles as a Swift regular expression; reports it when not.
    func checkRegex(_ pattern: String, at mark: Mark?, what: String) -> Bool {
        do {
            _ = try Regex(pattern)
            return true
        } catch {
            self.error(mark, "invalid regular expression for \(what): \(error)")
            return false
        }
    }
}
