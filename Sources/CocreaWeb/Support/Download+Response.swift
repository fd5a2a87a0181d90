import CocreaUseCases
import Vapor

extension Download: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response { response }

    /// The attachment as an HTTP response.
    var response: Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return response
    }
}
