import Foundation
import Testing

@testable import TrawlReplica

struct ReplicaLocationTests {
    @Test func relativeFolderBecomesAbsolute() throws {
        let location = try ReplicaLocation("backups/../replica", currentDirectory: "/srv/trawl")
        #expect(location == .folder("/srv/trawl/replica"))
        #expect(location.litestreamURL == "file:///srv/trawl/replica/")
    }

    @Test func bucketURLIsPassedToLitestreamAsTyped() throws {
        let location = try ReplicaLocation("s3://team-bucket/trawl", currentDirectory: "/")
        #expect(location == .url("s3://team-bucket/trawl"))
        #expect(location.litestreamURL == "s3://team-bucket/trawl")
    }

    @Test func fileURLIsAFolder() throws {
        #expect(try ReplicaLocation("file:///srv/replica", currentDirectory: "/") == .folder("/srv/replica"))
    }

    @Test func folderWithSpacesIsPercentEncodedForLitestream() throws {
        let location = try ReplicaLocation("/srv/team share", currentDirectory: "/")
        #expect(location.litestreamURL == "file:///srv/team%20share/")
    }

    @Test(arguments: ["", "s3://", "3s://bucket", "file://relative/path", "s 3://bucket"])
    func meaninglessLocationsAreRefused(text: String) {
        #expect(throws: ReplicaError.self) { try ReplicaLocation(text, currentDirectory: "/") }
    }

    @Test func refusalSaysWhatIsWrong() {
        #expect(throws: ReplicaError.invalidLocation("s3://", reason: "it names no bucket or path.")) {
            try ReplicaLocation("s3://", currentDirectory: "/")
        }
    }
}

struct LitestreamConfigurationTests {
    @Test func folderReplicaIsAFileReplicaWithItsSyncInterval() {
        let configuration = LitestreamConfiguration(
            indexPath: "/home/me/index.sqlite", location: .folder("/srv/replica"), syncInterval: 0.25)
        #expect(
            configuration.yaml.hasSuffix(
                """
                dbs:
                  - path: "/home/me/index.sqlite"
                    replica:
                      type: file
                      path: "/srv/replica"
                      sync-interval: 250ms

                """))
    }

    @Test func urlReplicaKeepsTheURL() {
        let configuration = LitestreamConfiguration(
            indexPath: "/i.sqlite", location: .url("s3://bucket/trawl"), syncInterval: 1)
        #expect(configuration.yaml.contains("      url: \"s3://bucket/trawl\"\n      sync-interval: 1s\n"))
    }

    @Test func pathsAreQuotedSoYAMLCannotMisreadThem() {
        let configuration = LitestreamConfiguration(
            indexPath: "/data/\"odd\" #name\\x\n.sqlite", location: .folder("/r: x"), syncInterval: 1)
        #expect(configuration.yaml.contains("  - path: \"/data/\\\"odd\\\" #name\\\\x\\n.sqlite\"\n"))
        #expect(configuration.yaml.contains("      path: \"/r: x\"\n"))
        // The comment naming the index stays one line.
        #expect(configuration.yaml.split(separator: "\n").count == 8)
    }
}

struct LitestreamLocationTests {
    @Test func missingLitestreamIsNamed() {
        #expect(throws: ReplicaError.litestreamMissing) {
            try Litestream.locate(environment: ["PATH": "/nonexistent-folder"])
        }
    }

    @Test func chosenLitestreamMustBeExecutable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-litestream-\(UUID())")
            .path
        try "not a program".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ReplicaError.litestreamNotExecutable(path: path)) {
            try Litestream.locate(environment: ["TRAWL_LITESTREAM": path, "PATH": "/usr/bin"])
        }
    }

    @Test func followRunsRestoreInFollowModeIntoTheGivenFile() {
        let arguments = Litestream(path: "/usr/bin/litestream").followArguments(
            source: .folder("/srv/replica"), output: "/tmp/copy.sqlite.restoring", interval: 0.5)
        #expect(
            arguments == [
                "restore", "-f", "-follow-interval", "500ms", "-o", "/tmp/copy.sqlite.restoring",
                "file:///srv/replica/",
            ])
    }
}
