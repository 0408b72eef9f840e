// LoadTreeHTTP: the HTTP/1.1 client VUs use and the embedded target server, on SwiftNIO.
