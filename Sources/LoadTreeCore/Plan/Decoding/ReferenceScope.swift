import Yams

/// What `${…}` references can resolve to at one point of a plan.
///
/// Checked at load time so that a misspelt variable fails before the run instead of sending
/// `${tokn}` literally to the target in every iteration.
struct ReferenceScope {
    /// Values every iteration has: the VU's and the iteration's numbers, as in the reference.
    static let builtins: Set<String> = ["__VU", "__ITER"]

    /// Plan `vars`.
    var vars: Set<String> = []
    /// Data sources by name, with their columns when the file could be read.
    var dataColumns: [String: Set<String>?] = [:]
    /// Captures of the setup steps; `nil` while decoding setup itself.
    var setupCaptures: Set<String>?
    /// Variables captured by earlier steps of the same flow.
    var captures: Set<String> = []

    /// Names a plain `${name}` can take here.
    var plainNames: Set<String> { vars.union(captures).union(Self.builtins) }
}

extension PlanDecoder {
    /// Checks every `${…}` in `text`; `what` names the place (`"url" in flow "browse" step 2`).
    func checkReferences(_ text: String, at mark: Mark?, what: String, scope: ReferenceScope) {
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                error(mark, "unclosed reference in \(what): \"${\" needs a closing \"}\"")
                return
            }
            let name = String(rest[open.upperBound..<close]).trimmingWhitespace()
            checkReference(name, at: mark, what: what, scope: scope)
            rest = rest[rest.index(after: close)...]
        }
    }

    private func checkReference(_ name: String, at mark: Mark?, what: String, scope: ReferenceScope) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !name.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
            error(mark, "empty or malformed reference \"${\(name)}\" in \(what); write ${name}, ${env.NAME}, "
                + "${setup.NAME} or ${data.SOURCE.COLUMN}")
            return
        }
        switch VariableReference(name) {
        case .env?, .vu?, .iteration?:
            return
        case .setup(let capture)?:
            guard let setup = scope.setupCaptures else {
                error(mark, "\"${\(name)}\" in \(what) refers to setup from inside setup; use ${\(capture)}")
                return
            }
            if !setup.contains(capture) {
                unknown(name, at: mark, what: what, candidates: setup.sorted().map { "setup.\($0)" },
                        otherwise: "setup captures no \"\(capture)\"")
            }
        case .data(let source, let column)?:
            guard let columns = scope.dataColumns[source] else {
                unknown(name, at: mark, what: what, candidates: scope.dataColumns.keys.sorted().map { "data.\($0).\(column)" },
                        otherwise: "no data source \"\(source)\" is declared under \"data\"")
                return
            }
            if let columns, !columns.contains(column) {
                unknown(name, at: mark, what: what, candidates: columns.sorted().map { "data.\(source).\($0)" },
                        otherwise: "data source \"\(source)\" has columns " + columns.sorted().joined(separator: ", "))
            }
        case nil:
            error(mark, "malformed reference \"${\(name)}\" in \(what); write ${env.NAME}, ${setup.NAME} or ${data.SOURCE.COLUMN}")
        case .variable(let variable)?:
            if parts.count != 1 || !scope.plainNames.contains(variable) {
                unknown(name, at: mark, what: what, candidates: scope.vars.union(scope.captures).sorted(),
                        otherwise: "define it under \"vars\" or capture it in an earlier step")
            }
        }
    }

    /// Reports `${name}`, suggesting the closest of `candidates` (bare names, compared without
    /// the `${…}` around them so that the braces do not make unrelated names look close).
    private func unknown(_ name: String, at mark: Mark?, what: String, candidates: [String], otherwise: String) {
        if let suggestion = Suggestion.closest(to: name, among: candidates) {
            error(mark, "unknown reference \"${\(name)}\" in \(what); did you mean \"${\(suggestion)}\"?")
        } else {
            error(mark, "unknown reference \"${\(name)}\" in \(what); \(otherwise)")
        }
    }

    /// Checks references in every string of a JSON body written as YAML.
    func checkReferences(inJSON node: Node, what: String, scope: ReferenceScope) {
        switch node {
        case .mapping(let mapping):
            for (_, value) in mapping { checkReferences(inJSON: value, what: what, scope: scope) }
        case .sequence(let sequence):
            for item in sequence { checkReferences(inJSON: item, what: what, scope: scope) }
        case .scalar(let scalar):
            checkReferences(scalar.string, at: node.mark, what: what, scope: scope)
        case .alias:
            break
        }
    }
}
