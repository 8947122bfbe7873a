/*
 * fuzz_rtu.c - libFuzzer target: Modbus RTU answers as they come off the
 * serial line, and the meter maps that decode them (hw/rtu_map.h).
 *
 * Input: byte 0 picks the model (SDM630, ABB B23), byte 1 the read of the
 * model's poll the bytes answer, the rest is the line.  Checked:
 *   - rtu_answer_length never claims more than it was given, and a length
 *     it gives is 5 (an exception) or 5 + an even byte count;
 *   - rtu_read_answer accepts only a frame whose CRC, unit, function and
 *     byte count match the request, copying exactly count registers;
 *   - a frame built by appending the right CRC to a well-formed answer is
 *     accepted and its registers read back byte for byte;
 *   - rtu_map_reading on whatever registers arrived either refuses or
 *     gives a non-negative energy register.
 * A failed check aborts: the fuzzer keeps the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/rtu_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_rtu: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtu_map map;
	struct rtu_poll p;
	struct rtu_reading r;
	uint8_t frame[5 + 2 * MB_MAX_READ + 2];
	const uint8_t unit = 1;
	const uint8_t *line;
	size_t n, k;
	int len, rc;

	if (size < 2)
		return 0;
	if (rtu_map_preset(data[0] & 1 ? RTU_MODEL_ABB_B23 : RTU_MODEL_SDM630, NULL, &map, NULL, 0) < 0 ||
	    rtu_map_plan(&map, &p) < 0 || p.n < 1)
		fail("a preset has no plan");
	k = data[1] % (size_t)p.n;
	line = data + 2;
	n = size - 2;

	len = rtu_answer_length(line, n, map.fn);
	if (len > 0 && ((size_t)len > n || (len != 5 && ((len - 5) % 2 != 0))))
		fail("answer length beyond the bytes given or odd");
	if (len > 0) {
		uint16_t regs[MB_MAX_READ];

		memset(regs, 0xA5, sizeof(regs));
		rc = rtu_read_answer(line, (size_t)len, unit, map.fn, p.read[k].count, regs);
		if (rc == 0 && (size_t)len != 5 + 2u * p.read[k].count)
			fail("an answer of the wrong size was accepted");
		if (rc == 0) {
			memcpy(p.regs[k], regs, sizeof(uint16_t) * p.read[k].count);
			for (size_t i = 0; i < p.read[k].count; i++)
				if (regs[i] != (uint16_t)(line[3 + 2 * i] << 8 | line[4 + 2 * i]))
					fail("registers not copied as sent");
		}
	}

	/* The same bytes as a well-formed answer with the right CRC. */
	{
		uint16_t count = p.read[k].count, regs[MB_MAX_READ], crc;
		size_t body = 2u * count;

		frame[0] = unit;
		frame[1] = map.fn;
		frame[2] = (uint8_t)body;
		for (size_t i = 0; i < body; i++)
			frame[3 + i] = i < n ? line[i] : 0;
		crc = rtu_crc16(frame, 3 + body);
		frame[3 + body] = (uint8_t)(crc & 0xff);
		frame[4 + body] = (uint8_t)(crc >> 8);
		if (rtu_answer_length(frame, 5 + body, map.fn) != (int)(5 + body))
			fail("a well-formed answer's length not found");
		if (rtu_read_answer(frame, 5 + body, unit, map.fn, count, regs) != 0)
			fail("a well-formed answer refused");
		for (size_t i = 0; i < count; i++)
			if (regs[i] != (uint16_t)(frame[3 + 2 * i] << 8 | frame[4 + 2 * i]))
				fail("registers of a well-formed answer not read back");
		memcpy(p.regs[k], regs, sizeof(uint16_t) * count);
		frame[0] = unit + 1;
		if (rtu_read_answer(frame, 5 + body, unit, map.fn, count, regs) == 0)
			fail("an answer from another unit accepted");
	}

	rc = rtu_map_reading(&map, &p, &r);
	if (rc == 0 && r.energy_wh < 0)
		fail("a negative energy register accepted");
	if (rc != 0 && rc != -ERANGE && rc != -EINVAL)
		fail("an error the header does not name");
	return 0;
}
