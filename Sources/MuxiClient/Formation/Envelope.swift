/// The runtime's response envelope (`{object, timestamp, type, request, success, error, data}`).
enum Envelope {
    /// The `data` of an envelope, with `request_id`, `idempotency_key` and `timestamp` from the
    /// envelope added when `data` lacks them (as the official SDKs do); a body that is not an
    /// envelope is returned as it is. `success: false` with a 2xx status becomes an error.
    static func unwrap(_ body: JSONValue, status: Int) throws -> JSONValue {
        guard case .object(let members) = body, members["success"] != nil, let data = members["data"] else {
            return body
        }
        if members["success"]?.boolValue == false {
            throw MuxiError.fromResponse(status: status, body: JSONWriter.bytes(body))
        }
        guard case .object(var fields) = data else { return data }
        if fields["request_id"] == nil, let id = body["request"]?["id"], !id.isNull { fields["request_id"] = id }
        if fields["idempotency_key"] == nil, let key = body["request"]?["idempotency_key"], !key.isNull {
            fields["idempotency_key"] = key
        }
        if fields["timestamp"] == nil, let t = members["timestamp"] { fields["timestamp"] = t }
        return .object(fields)
    }
}
