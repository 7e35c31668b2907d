import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOPosix
import TrawlAPI
import TrawlSearch

/// `trawl serve`: the search page, the document page and the JSON API over one index, on
/// Hummingbird 2.
///
/// | Path          | Answers                                                     |
/// |---------------|-------------------------------------------------------------|
/// | `/`           | the search page (`q`, `since`, `until`, `sort`, `offset`, `source`, `author`, `tag`, `folder`) |
/// | `/doc`        | a document's whole text, the query's matches marked (`path`, `q`) |
/// | `/api/search` | `trawl search --format json` (`q`, `limit`, `offset`, `since`, `until`, `sort`, `facets`) |
/// | `/api/doc`    | `trawl show --format json` (`path`, `q`)                     |
/// | `/api/stats`  | `trawl stats --format json`                                 |
/// | `/healthz`    | `{"status": "ok", "documents": N}`, or 503 when the index cannot be read |
///
/// Errors are `ErrorJSON` with status 400, 404, 405, 413, 414 or 503 (as HTML on the pages).
public struct WebServer: Sendable {
    /// The longest request target read (path and query), in bytes: a query of 10,000 Latin,
    /// Greek, Cyrillic, Hebrew or Arabic characters, percent-encoded, fits. Under the HTTP parser's
    /// own limit on a request head (80 KB), which answers a bare 400.
    public static let maximumTargetBytes = 64 * 1024
    /// The largest request body accepted; the server only answers GET and HEAD, so any body is
    /// refused past this.
    public static let maximumBodyBytes = 16 * 1024

    let service: TrawlService
    let host: String
    let port: Int

    public init(service: TrawlService, host: String, port: Int) {
        self.service = service
        self.host = host
        self.port = port
    }

    /// Serves until the process is interrupted (SIGINT or SIGTERM); `onRunning` gets the port
    /// bound (useful with port 0, which picks a free one).
    public func run(onRunning: @escaping @Sendable (Int) -> Void) async throws {
        SearchProcess.keepFreedMemory()
        var logger = Logger(label: "trawl.serve")
        logger.logLevel = .error
        // One event loop reads requests and writes responses, and the handlers' tasks run on it
        // too; the searches run on the reader pool's threads, one per core (see ReaderPool).
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { loops.shutdownGracefully { _ in } }
        let app = Application(
            responder: Responder(service: service),
            configuration: .init(address: .hostname(host, port: port), serverName: "trawl"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            eventLoopGroupProvider: .shared(loops),
            logger: logger)
        if #available(macOS 15, *) {
            try await withTaskExecutorPreference(EventLoopExecutor(loops.next())) {
                try await app.runService()
            }
        } else {
            try await app.runService()
        }
    }

    /// Answers every request (one switch over the path, so unknown paths get the same JSON or
    /// HTML errors as the rest).
    struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let service: TrawlService

        func respond(to request: Request, context: Context) async throws -> Response {
            let path = request.uri.path
            let isAPI = path.hasPrefix("/api/") || path == "/healthz"
            if request.uri.string.utf8.count > WebServer.maximumTargetBytes {
                return failure(
                    ErrorJSON(
                        "The request address is longer than \(WebServer.maximumTargetBytes / 1024) KB.",
                        kind: .request),
                    status: .uriTooLong, html: !isAPI)
            }
            if let length = request.headers[.contentLength].flatMap(Int.init),
                length > WebServer.maximumBodyBytes
            {
                return failure(
                    ErrorJSON(
                        "The request body is larger than \(WebServer.maximumBodyBytes / 1024) KB.",
                        kind: .tooLarge),
                    status: .contentTooLarge, html: !isAPI)
            }
            guard request.method == .get || request.method == .head else {
                var response = failure(
                    ErrorJSON("Only GET is supported.", kind: .request), status: .methodNotAllowed,
                    html: !isAPI)
                response.headers[.allow] = "GET, HEAD"
                return response
            }
            let parameters = HTML.parameters(request.uri.query)
            switch path {
            case "/": return await searchPage(parameters)
            case "/doc": return await documentPage(parameters)
            case "/api/search": return await apiSearch(parameters)
            case "/api/doc": return await apiDocument(parameters)
            case "/api/stats": return await apiStatistics()
            case "/healthz": return await health()
            case "/assets/trawl.css": return asset(Assets.styleSheet, type: "text/css; charset=utf-8")
            case "/assets/trawl.js": return asset(Assets.script, type: "text/javascript; charset=utf-8")
            default:
                return failure(ErrorJSON("No such page: \(path.prefix(200)).", kind: .notFound), html: !isAPI)
            }
        }

        // MARK: JSON API

        private func apiSearch(_ values: [String: String]) async -> Response {
            do {
                return try await service.search(try SearchParameters(values)) { _, json in self.json(json) }
            } catch {
                return failure(error, html: false)
            }
        }

        private func apiDocument(_ values: [String: String]) async -> Response {
            do {
                return try await service.show(values["path"] ?? "", highlighting: values["q"]) { shown in
                    json(ShowJSON.of(shown))
                }
            } catch {
                return failure(error, html: false)
            }
        }

        private func apiStatistics() async -> Response {
            do {
                return json(try await service.statistics())
            } catch {
                return failure(error, html: false)
            }
        }

        private func health() async -> Response {
            struct Health: Encodable {
                var status: String
                var documents: Int
            }
            do {
                return json(Health(status: "ok", documents: try await service.documentCount()))
            } catch {
                return failure(error, html: false)
            }
        }

        // MARK: Pages

        private func searchPage(_ values: [String: String]) async -> Response {
            var parameters = SearchParameters()
            do {
                parameters = try SearchParameters(values)
                parameters.limit = Page.pageSize
                parameters.facets = SearchParameters.pageFacets
                guard !parameters.isEmpty else {
                    return page(Page.search(parameters, response: nil, suggestion: nil, error: nil))
                }
                let asked = parameters
                return try await service.search(asked) { response, json in
                    page(Page.search(asked, response: response, suggestion: json.suggestion, error: nil))
                }
            } catch {
                parameters.query = values["q"].map { String($0.prefix(SearchJSON.maximumQueryLength)) } ?? ""
                return page(
                    Page.search(parameters, response: nil, suggestion: nil, error: error),
                    status: status(of: error))
            }
        }

        private func documentPage(_ values: [String: String]) async -> Response {
            let query = values["q"] ?? ""
            do {
                var back = SearchParameters()
                back.query = query
                let backLink = "/?" + Page.link(to: back)
                return try await service.show(values["path"] ?? "", highlighting: query) { shown in
                    page(Page.document(shown, query: query, back: backLink))
                }
            } catch {
                return page(
                    Page.failure(error, query: String(query.prefix(1_000))), status: status(of: error))
            }
        }

        // MARK: Responses

        private func status(of error: ErrorJSON) -> HTTPResponse.Status {
            HTTPResponse.Status(code: error.kind.httpStatus)
        }

        private func failure(_ error: ErrorJSON, status: HTTPResponse.Status? = nil, html: Bool) -> Response {
            if html {
                return page(Page.failure(error, query: ""), status: status ?? self.status(of: error))
            }
            var response = json(error)
            response.status = status ?? self.status(of: error)
            return response
        }

        private func json(_ value: some Encodable) -> Response {
            let data = (try? JSONContract.encode(value)) ?? Data("{\"error\":\"Cannot encode.\"}".utf8)
            return respond(data + Data("\n".utf8), type: "application/json; charset=utf-8")
        }

        private func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
            var response = respond(Data(html.utf8), type: "text/html; charset=utf-8")
            response.status = status
            return response
        }

        private func asset(_ text: String, type: String) -> Response {
            var response = respond(Data(text.utf8), type: type)
            response.headers[.cacheControl] = "max-age=3600"
            return response
        }

        private func respond(_ data: Data, type: String) -> Response {
            var headers = HTTPFields()
            headers[.contentType] = type
            headers[.contentSecurityPolicy] =
                "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
            headers[.cacheControl] = "no-store"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
