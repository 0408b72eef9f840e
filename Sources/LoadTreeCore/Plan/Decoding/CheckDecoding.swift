import Yams

/// The `checks:` list of a request: one condition per entry, plus an optional `name`.
extension PlanDecoder {
    static let checkConditions = ["status", "body_contains", "body_matches", "json", "header", "duration"]

    func checks(_ node: Node, what: String, scope: ReferenceScope) -> [Check] {
        guard let items = list(node, what: "\"checks\" in \(what)") else { return [] }
        return items.enumerated().compactMap { index, item in
            check(item, context: "check \(index + 1) of \(what)", scope: scope)
        }
    }

    func check(_ node: Node, context: String, scope: ReferenceScope) -> Check? {
        guard let f = fields(node, context: context, mark: node.mark) else { return nil }
        checkKeys(f, allowed: Self.checkConditions + ["name"], hints: ["contains": "body_contains", "matches": "body_matches"])
        let present = f.entries.filter { Self.checkConditions.contains($0.key) }
        guard present.count == 1, let entry = present.first else {
            if present.count > 1 {
                error(present[1].keyNode.mark, "\(context) has both \"\(present[0].key)\" and \"\(present[1].key)\"; "
                    + "write one condition per check")
            } else if f.entries.allSatisfy({ Self.checkConditions.contains($0.key) || $0.key == "name" }) {
                error(node.mark, "\(context) needs one of " + Self.checkConditions.joined(separator: ", "))
            }
            return nil
        }
        let name = nonEmptyString(f, "name")
        let what = f.describe(entry.key)
        let value = entry.value
        let condition: CheckCondition?
        switch entry.key {
        case "status":
            condition = statuses(value, what: what).map { .status($0) }
        case "body_contains":
            condition = string(value, what: what).map { text in
                checkReferences(text, at: value.mark, what: what, scope: scope)
                return .bodyContains(text)
            }
        case "body_matches":
            condition = string(value, what: what).flatMap { checkRegex($0, at: value.mark, what: what) ? .bodyMatches($0) : nil }
        case "json":
            condition = jsonCheck(value, context: what, mark: entry.keyNode.mark)
        case "header":
            condition = headerCheck(value, context: what, mark: entry.keyNode.mark, scope: scope)
        default:
            condition = durationCheck(value, what: what)
        }
        guard let condition else { return nil }
        return Check(name: name ?? Self.defaultName(condition), condition: condition)
    }

    private func statuses(_ node: Node, what: String) -> [Int]? {
        let items: [Node]
        if case .sequence(let sequence) = node { items = Array(sequence) } else { items = [node] }
        var codes: [Int] = []
        for item in items {
            guard Self.tagName(item) == .int, let code = item.int, (100...599).contains(code) else {
                error(item.mark, "expected an HTTP status code (100 to 599) or a list of them for \(what), "
                    + "found \(Self.describe(item))")
                return nil
            }
            codes.append(code)
        }
        guard !codes.isEmpty else {
            error(node.mark, "\(what) needs at least one status code")
            return nil
        }
        return codes
    }

    private func jsonCheck(_ node: Node, context: String, mark: Mark?) -> CheckCondition? {
        guard let f = fields(node, context: context, mark: mark) else { return nil }
        checkKeys(f, allowed: ["path", "equals", "exists"])
        require(f, "path")
        let path = string(f, "path").flatMap { jsonPath($0, at: f.value("path")?.mark, what: f.describe("path")) }
        let expectation: JSONExpectation?
        switch (f.value("equals"), f.has("exists")) {
        case (let equals?, false): expectation = .equals(json(equals))
        case (nil, true): expectation = bool(f, "exists").map { .exists($0) }
        case (_?, true):
            error(f.keyMark("exists"), "\(context) has both \"equals\" and \"exists\"; keep one")
            expectation = nil
        case (nil, false):
            error(mark, "\(context) needs \"equals\" or \"exists\"")
            expectation = nil
        }
        guard let path, let expectation else { return nil }
        return .json(path: path, expectation: expectation)
    }

    private func headerCheck(_ node: Node, context: String, mark: Mark?, scope: ReferenceScope) -> CheckCondition? {
        guard let f = fields(node, context: context, mark: mark) else { return nil }
        checkKeys(f, allowed: ["name", "equals", "matches"])
        require(f, "name")
        let name = nonEmptyString(f, "name")
        let expectation: TextExpectation?
        switch (f.has("equals"), f.has("matches")) {
        case (true, false):
            expectation = string(f, "equals").map { text in
                checkReferences(text, at: f.value("equals")?.mark, what: f.describe("equals"), scope: scope)
                return .equals(text)
            }
        case (false, true):
            expectation = string(f, "matches").flatMap {
                checkRegex($0, at: f.value("matches")?.mark, what: f.describe("matches")) ? .matches($0) : nil
            }
        case (true, true):
            error(f.keyMark("matches"), "\(context) has both \"equals\" and \"matches\"; keep one")
            expectation = nil
        case (false, false):
            error(mark, "\(context) needs \"equals\" or \"matches\"")
            expectation = nil
        }
        guard let name, let expectation else { return nil }
        return .header(name: name, expectation: expectation)
    }

    /// `duration: "<500ms"`: a comparison and a duration.
    private func durationCheck(_ node: Node, what: String) -> CheckCondition? {
        guard let text = string(node, what: what) else { return nil }
        let trimmed = text.trimmingWhitespace()
        let operators: [ThresholdOperator] = [.lessOrEqual, .less, .greaterOrEqual, .greater]
        guard let op = operators.first(where: { trimmed.hasPrefix($0.rawValue) }) else {
            error(node.mark, "expected a comparison such as \"<500ms\" or \">=1s\" for \(what), found \"\(text)\"")
            return nil
        }
        do {
            return .duration(op, try DurationText.parse(String(trimmed.dropFirst(op.rawValue.count))))
        } catch {
            self.error(node.mark, "invalid duration for \(what): \(error)")
            return nil
        }
    }

    /// The summary name of a check without `name:`, such as `status is 200`.
    static func defaultName(_ condition: CheckCondition) -> String {
        switch condition {
        case .status(let codes): "status is " + codes.map(String.init).joined(separator: " or ")
        case .bodyContains(let text): "body contains \(text)"
        case .bodyMatches(let pattern): "body matches \(pattern)"
        case .json(let path, .equals(let value)): "\(path) is \(value.serialized())"
        case .json(let path, .exists(true)): "\(path) exists"
        case .json(let path, .exists(false)): "\(path) does not exist"
        case .header(let name, .equals(let value)): "header \(name) is \(value)"
        case .header(let name, .matches(let pattern)): "header \(name) matches \(pattern)"
        case .duration(let op, let limit): "duration \(op)\(DurationText.format(limit))"
        }
    }
}
