// Frappe's realtime server (apps/frappe/socketio.js) listens on every network interface, and it believes
// the Origin header a client sends: it asks `<Origin>/api/method/frappe.realtime.get_user_info` who the
// client is, and the same address whether it may join a record's room. Reached directly, anyone could
// point it at a server of their own and listen as any user. nginx, which always sets Origin from the
// site's own address, reaches it on 127.0.0.1; loaded with `node --require` (NODE_OPTIONS, set by
// ./kentro and ops/production.sh), this binds it to loopback only.
const net = require("net");

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
	const port = args[0];
	const portOnly =
		(typeof port === "number" || (typeof port === "string" && /^\d+$/.test(port))) &&
		typeof args[1] !== "string";
	if (portOnly) {
		args.splice(1, 0, "127.0.0.1");
	}
	return listen.apply(this, args);
};
