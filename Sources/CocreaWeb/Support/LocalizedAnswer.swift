import CocreaCore
import Vapor

extension Request {
    /// `value` as the JSON answer, with the messages it carries (a plan's problems and advice, a
    /// process's flags) written in this request's language, as a problem's detail is.
    func answer(_ value: some Encodable, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(value, using: JSONEncoder.custom(dates: .iso8601, userInfo: [.words: words]))
        return response
    }
}
