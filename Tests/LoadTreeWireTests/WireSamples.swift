import Foundation
import LoadTreeWire

/// One message for every case of `Up.message` and `Down.message`, with every field set to a
/// non-default value, so that a round trip that dropped or mangled a field would be noticed.
enum WireSamples {
    static let leaf = Loadtree_V1_Leaf.with {
        $0.nodeID = "eu-1"
        $0.zone = "eu-west"
        $0.weight = 3
    }

    static let hello = Loadtree_V1_Hello.with {
        $0.nodeID = "relay-eu"
        $0.zone = "eu-west"
        $0.weight = 2
        $0.role = .relay
        $0.protocolVersion = WireVersion.current
        $0.agentsInSubtree = 4
        $0.leaves = [leaf, .with { $0.nodeID = "eu-2"; $0.zone = "eu-west"; $0.weight = 1 }]
        $0.runID = "run-42"
        $0.software = "loadtree test"
    }

    static let metricBatch = Loadtree_V1_MetricBatch.with {
        $0.sender = "eu-1"
        $0.sequence = 7
        $0.intervalStartNs = 1_000_000_000
        $0.intervalEndNs = 2_000_000_000
        $0.entries = [
            .with {
                $0.name = "http_reqs"
                $0.tags = [.with { $0.key = "method"; $0.value = "GET" }, .with { $0.key = "zone"; $0.value = "eu-west" }]
                $0.kind = .default
                $0.counter = .with { $0.sum = 12; $0.firstTimeNs = 1_000_000_123; $0.count = 12 }
            },
            .with {
                $0.name = "vus"
                $0.gauge = .with { $0.value = 5; $0.timeNs = 1_900_000_000; $0.min = 1; $0.max = 8 }
            },
            .with {
                $0.name = "checks"
                $0.rate = .with { $0.trues = 9; $0.total = 12 }
            },
            .with {
                $0.name = "http_req_duration"
                $0.kind = .time
                // Arbitrary bytes: the wire carries them opaquely (the codec lives in the core).
                $0.trend = .with {
                    $0.hdrV2Compressed = Data([0x1C, 0x84, 0x93, 0x14, 0x00, 0x00, 0x00, 0x05, 0x78, 0x9C, 0xFF, 0x00])
                    $0.min = 0.25
                    $0.max = 1_234.5
                    $0.sum = 4_321.75
                    $0.unit = .milliseconds
                    $0.clampedCount = 1
                }
            },
            .with {
                $0.name = "data_sent"
                $0.kind = .data
                $0.counter = .with { $0.sum = 2_048; $0.firstTimeNs = -5; $0.count = 2 }
            },
        ]
    }

    static let progress = Loadtree_V1_Progress.with {
        $0.scenarios = [
            .with {
                $0.scenario = "browse"
                $0.zone = "eu-west"
                $0.activeVus = 3
                $0.initializedVus = 10
                $0.iterationsCompleted = 1_000
                $0.iterationsInterrupted = 2
                $0.droppedIterations = 5
                $0.elapsedNs = 30_000_000_000
                $0.totalNs = 60_000_000_000
            },
        ]
        $0.earliestStartUnixNs = 1_800_000_000_000_000_000
        $0.latestStartUnixNs = 1_800_000_000_002_000_000
        $0.agentsDone = 1
    }

    static let abort = Loadtree_V1_Abort.with {
        $0.reason = "threshold 'p(95)<300' on http_req_duration failed"
        $0.exitCode = 99
        $0.originNodeID = "root"
    }

    /// Every case of `Up.message`, in field-number order.
    static let ups: [Loadtree_V1_Up] = [
        .with { $0.hello = hello },
        .with { $0.metricBatch = metricBatch },
        .with { $0.progress = progress },
        .with { $0.barrierArrive = .with { $0.id = "setup-done" } },
        .with {
            $0.barrierError = .with {
                $0.id = "scheduler-init-done"
                $0.message = "plan file data.csv: no such file"
                $0.originNodeID = "eu-2"
            }
        },
        .with { $0.dataGet = .with { $0.id = "setup" } },
        .with { $0.dataSet = .with { $0.id = "setup"; $0.value = Data("{\"token\":\"abc\"}".utf8) } },
        .with { $0.dataOnce = .with { $0.id = "teardown" } },
        .with { $0.ack = .with { $0.sequence = 3 } },
        .with { $0.abort = abort },
        .with { $0.done = .with { $0.lastMetricSequence = 61 } },
        .with { $0.subtreeUpdate = .with { $0.agentsInSubtree = 1; $0.leaves = [leaf] } },
        .with {
            $0.clockReply = .with {
                $0.id = 9
                $0.parentSentUnixNs = 1_800_000_000_000_000_000
                $0.childReceivedUnixNs = 1_800_000_000_000_400_000
                $0.childSentUnixNs = 1_800_000_000_000_450_000
            }
        },
    ]

    /// Every case of `Down.message`, in field-number order.
    static let downs: [Loadtree_V1_Down] = [
        .with { $0.welcome = .with { $0.nodeID = "eu-1"; $0.protocolVersion = 1; $0.runID = "run-42" } },
        .with {
            $0.rejection = .with {
                $0.reason = .protocolVersion
                $0.message = "protocol version 2 is not supported by this root (it speaks 1)"
                $0.supportedProtocolVersions = [1]
            }
        },
        .with {
            $0.sequence = 1
            $0.assignment = .with {
                $0.planText = "scenarios:\n  browse:\n    executor: constant-vus\n"
                $0.planFileName = "plan.yaml"
                $0.segment = "1/4:1/2"
                $0.sequence = "0,1/4,1/2,1"
                $0.start = .with {
                    $0.startAtUnixNs = 1_800_000_000_000_000_000
                    $0.metricIntervalMs = 1_000
                    $0.tags = ["zone": "eu-west", "env": "staging"]
                    $0.upstreamGraceMs = 10_000
                }
                $0.leafSegments = ["eu-1": "1/4:3/8", "eu-2": "3/8:1/2"]
                $0.files = [.with { $0.path = "data/users.csv"; $0.content = Data("name\nann\n".utf8) }]
                $0.environment = ["BASE_URL": "http://127.0.0.1:8080"]
            }
        },
        .with { $0.barrierRelease = .with { $0.id = "test-ready-to-run-setup"; $0.releaseAtUnixNs = 1_800_000_001_000_000_000 } },
        .with {
            $0.barrierFailed = .with {
                $0.id = "scheduler-init-done"
                $0.message = "plan file data.csv: no such file"
                $0.originNodeID = "eu-2"
            }
        },
        .with { $0.dataValue = .with { $0.id = "setup"; $0.error = "setup failed: status 500" } },
        .with { $0.runOnce = .with { $0.id = "setup" } },
        .with { $0.metricAck = .with { $0.sequence = 7 } },
        .with { $0.sequence = 2; $0.abort = abort },
        .with { $0.sequence = 3; $0.stop = .with { $0.reason = "duration reached" } },
        .with { $0.sequence = 4; $0.terminate = .with { $0.exitCode = 99; $0.message = "aborted: thresholds" } },
        .with { $0.clockProbe = .with { $0.id = 9; $0.parentSentUnixNs = 1_800_000_000_000_000_000 } },
    ]
}
