-- Request script for wrk, used by the BacBos benchmark runner (Load/WrkLoadGenerator.cs).
-- Arguments after "--": mode, thread count, file, key prefix, then "Name: value" headers.
--   get       GET the URL's path; file is "-".
--   post-key  POST the body in <file> with a unique Idempotency-Key per request (<prefix>-<thread>-<n>).
--   webhook   POST pre-signed Stripe events from <file> (one "signature<TAB>body" per line, split across threads):
--             every 10th request repeats the previous event (a duplicate delivery), every 100th (n % 100 == 55)
--             carries a tampered signature (must be rejected); the rest are first deliveries.
-- Every response's status is counted; done() prints one line "BENCHJSON {...}" that the runner parses.

local created = 0
local threads = {}

function setup(thread)
   created = created + 1
   thread:set("tid", created)
   table.insert(threads, thread)
end

local mode, body, key_prefix, cached
local base_headers = {}
local entries = {}
local pos, n, wrapped, prev = 0, 0, false, nil

sent, unique_sent, dup_sent, tampered_sent = 0, 0, 0, 0
statuses = {}

local function read_file(path)
   local f = assert(io.open(path, "rb"))
   local text = f:read("*a")
   f:close()
   return text
end

local function with(extra)
   local h = {}
   for k, v in pairs(base_headers) do h[k] = v end
   for k, v in pairs(extra) do h[k] = v end
   return h
end

function init(args)
   mode = args[1]
   local nthreads = tonumber(args[2])
   local file = args[3]
   key_prefix = args[4]
   for i = 5, #args do
      local name, value = string.match(args[i], "^([^:]+):%s*(.*)$")
      if name then base_headers[name] = value end
   end

   if mode == "get" then
      cached = wrk.format("GET", wrk.path, with({}), nil)
   elseif mode == "post-key" then
      body = read_file(file)
   elseif mode == "webhook" then
      local index = 0
      for line in io.lines(file) do
         if index % nthreads == tid - 1 then
            local sig, payload = string.match(line, "^([^\t]+)\t(.*)$")
            table.insert(entries, { sig = sig, body = payload })
         end
         index = index + 1
      end
      assert(#entries > 0, "no signed events for thread " .. tid)
   else
      error("unknown mode " .. tostring(mode))
   end
end

local function tamper(sig)
   local last = string.sub(sig, -1)
   return string.sub(sig, 1, -2) .. (last == "0" and "1" or "0")
end

function request()
   n = n + 1
   sent = sent + 1
   if mode == "get" then
      return cached
   elseif mode == "post-key" then
      return wrk.format("POST", wrk.path, with({ ["Idempotency-Key"] = key_prefix .. "-" .. tid .. "-" .. n }), body)
   end

   local entry, sig
   if n % 10 == 0 and prev then
      entry, sig = prev, prev.sig
      dup_sent = dup_sent + 1
   elseif n % 100 == 55 then
      entry = entries[(pos % #entries) + 1]
      sig = tamper(entry.sig)
      tampered_sent = tampered_sent + 1
   else
      pos = pos + 1
      if pos > #entries then
         pos, wrapped = 1, true
      end
      entry = entries[pos]
      sig, prev = entry.sig, entry
      if wrapped then dup_sent = dup_sent + 1 else unique_sent = unique_sent + 1 end
   end
   return wrk.format("POST", wrk.path, with({ ["Stripe-Signature"] = sig }), entry.body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = { sent = 0, unique = 0, dup = 0, tampered = 0 }
   local codes = {}
   for _, t in ipairs(threads) do
      total.sent = total.sent + t:get("sent")
      total.unique = total.unique + t:get("unique_sent")
      total.dup = total.dup + t:get("dup_sent")
      total.tampered = total.tampered + t:get("tampered_sent")
      for code, count in pairs(t:get("statuses")) do
         codes[code] = (codes[code] or 0) + count
      end
   end

   local status_parts = {}
   for code, count in pairs(codes) do
      table.insert(status_parts, string.format('"%d":%d', code, count))
   end

   local e = summary.errors
   io.write(string.format(
      'BENCHJSON {"duration_us":%d,"requests":%d,"sent":%d,"unique":%d,"duplicates":%d,"tampered":%d,' ..
      '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,' ..
      '"p50_us":%d,"p95_us":%d,"p99_us":%d,"statuses":{%s}}\n',
      summary.duration, summary.requests, total.sent, total.unique, total.dup, total.tampered,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      table.concat(status_parts, ",")))
end
