import LoadTreeCore
import LoadTreeWire

/// The downstream side of a node: the children that attached, first while the tree assembles
/// (admitted by a ``JoinPolicy``, their subtrees kept current), then, once the node is built
/// for the assigned test, the router of their messages to it.
///
/// After ``seal()`` no child is taken; a child that leaves after that costs the test its share,
/// and the node aborts it (``RelayNode/detach(_:)``).
public actor ChildHub {
    private let policy: any JoinPolicy
    private var admitted: [JoinedChild] = []
    private var links: [String: DownStreamLink] = [:]
    private var node: RelayNode?
    private var sealed = false
    /// Children gone between the seal and the bind, with why (nil: their stream ended).
    private var leftAfterSeal: [String: String?] = [:]
    /// Which stream of a child is current (a reconnect replaces it; the old one's end is then
    /// not the child leaving).
    private var generations: [String: Int] = [:]
    private var nextGeneration = 0
    /// Children whose stream broke during the run, waiting for them to come back.
    private var lost: Set<String> = []
    private var grace: Duration = .zero
    private let changesContinuation: AsyncStream<[JoinedChild]>.Continuation
    /// The admitted children after every change while the tree assembles (the newest only).
    public nonisolated let changes: AsyncStream<[JoinedChild]>

    public init(policy: any JoinPolicy) {
        self.policy = policy
        (changes, changesContinuation) = AsyncStream.makeStream(of: [JoinedChild].self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The children admitted so far.
    public var children: [JoinedChild] { admitted }

    /// What the policy still waits for.
    public var missing: [String] { policy.missing(admitted) }

    /// Admits a child that said Hello; its messages go to `link`. Returns the child and the
    /// generation of its stream (for ``leave(_:generation:)``).
    func join(_ child: JoinedChild, link: DownStreamLink) throws(JoinRejection) -> (JoinedChild, Int) {
        guard !sealed else { throw .runStarted(node: child.id) }
        guard !child.id.isEmpty else { throw .malformed("the Hello carries no node id") }
        let child = try policy.admit(child, alongside: admitted)
        admitted.append(child)
        links[child.id] = link
        changesContinuation.yield(admitted)
        return (child, newGeneration(child.id))
    }

    /// A child of the running test comes back after its stream broke, within the grace.
    func rejoin(_ id: String, link: DownStreamLink) async throws(JoinRejection) -> (JoinedChild, Int) {
        guard let child = admitted.first(where: { $0.id == id }) else {
            throw .notExpected("node \(id) is not part of this run")
        }
        guard lost.remove(id) != nil, let node else { throw .duplicateNodeID(id) }
        links[id] = link
        let generation = newGeneration(id)
        await node.reattach(id, link: link)
        return (child, generation)
    }

    private func newGeneration(_ id: String) -> Int {
        nextGeneration += 1
        generations[id] = nextGeneration
        return nextGeneration
    }

    /// A relay's subtree changed while the tree assembles. An update the policy refuses (a
    /// duplicate id, a zone that does not exist) rejects the whole relay: the tree cannot be
    /// shared out with it.
    func update(_ id: String, subtree: [TreeLeaf]) {
        guard !sealed, let index = admitted.firstIndex(where: { $0.id == id }) else { return }
        var child = admitted[index]
        child.subtree = subtree
        var others = admitted
        others.remove(at: index)
        do throws(JoinRejection) {
            admitted[index] = try policy.admit(child, alongside: others)
        } catch {
            admitted.remove(at: index)
            links.removeValue(forKey: id)?.reject(error)
        }
        changesContinuation.yield(admitted)
    }

    /// A child's stream ended. During the run the child has the grace period to come back
    /// before its loss aborts the test.
    func leave(_ id: String, generation: Int) async {
        guard generations[id] == generation else { return }
        if let node {
            guard !(await node.isFinished) else { return }
            lost.insert(id)
            let grace = self.grace
            Task {
                try? await Task.sleep(for: grace)
                await self.expire(id, generation: generation)
            }
            return
        }
        guard links.removeValue(forKey: id) != nil else { return }
        forget(id, reason: nil)
    }

    /// Child `id` sent something that does not decode: a broken peer. It is refused with
    /// `rejection`, which ends its stream. While the tree assembles it simply leaves; during
    /// the run the test aborts at once, without the grace of a lost stream: its batch can
    /// never be counted, and a reconnect would only send the same bytes again.
    func misbehaved(_ id: String, generation: Int, _ rejection: JoinRejection) async {
        guard generations[id] == generation else { return }
        // Its stream's end is not a loss to wait out.
        generations[id] = nil
        links.removeValue(forKey: id)?.reject(rejection)
        let reason = "\(rejection); the test cannot count its share"
        if let node {
            await node.detach(id, reason: reason)
            return
        }
        forget(id, reason: reason)
    }

    /// Child `id` is gone before the test runs.
    private func forget(_ id: String, reason: String?) {
        if sealed {
            leftAfterSeal.updateValue(reason, forKey: id)
            return
        }
        admitted.removeAll { $0.id == id }
        changesContinuation.yield(admitted)
    }

    private func expire(_ id: String, generation: Int) async {
        guard lost.contains(id), generations[id] == generation, let node else { return }
        lost.remove(id)
        await node.detach(id)
    }

    /// A node message from child `id`: for the node once it exists (earlier ones are dropped:
    /// a child has nothing to say before its assignment).
    func received(_ message: UpMessage, from id: String) async {
        await node?.received(message, from: id)
    }

    /// A metric batch from child `id`'s stream, merged by the node (``RelayNode/received(_:from:directory:)``);
    /// returns the stream's series table as the node left it. Before the node exists the batch
    /// is only checked (and dropped, as any message then): a child that sends one it cannot
    /// count is still refused.
    func received(
        _ batch: Loadtree_V1_MetricBatch, from id: String, directory: SeriesDirectory
    ) async throws(MetricBatchError) -> SeriesDirectory {
        guard let node else {
            var scratch = SeriesAccumulator()
            var checked = directory
            try MetricBatchCoding.merge(batch, directory: &checked, into: &scratch)
            return directory
        }
        return try await node.received(batch, from: id, directory: directory)
    }

    /// Takes no more children and returns those the test is shared among.
    public func seal() -> [JoinedChild] {
        sealed = true
        changesContinuation.finish()
        return admitted
    }

    /// Sends each child its assignment (with its zone tag).
    public func assign(_ assignment: TreeAssignment) {
        for child in admitted {
            links[child.id]?.sendWire(assignment.forChild(zone: child.zone).wire(for: child.id))
        }
    }

    /// Hands the children to `node`, built for the assigned test, and routes their messages to
    /// it. A child whose stream breaks has `grace` to come back before the test aborts.
    public func bind(_ node: RelayNode, grace: Duration) async {
        self.node = node
        self.grace = grace
        for (id, link) in links { await node.attach(id, link: link) }
        for (id, reason) in leftAfterSeal { await node.detach(id, reason: reason) }
    }

    /// Ends every child's stream (the process is exiting).
    public func closeAll() {
        for link in links.values { link.finish() }
    }
}
