package dev.switchboard.outbound;

/** Turns the answer of a vendor that does not speak JSON (Sage Intacct's XML) into JSON, before it is classified. */
public interface ResponseDecoder {
    /** The vendor's answer with a JSON body. */
    VendorResponse decode(VendorResponse raw);
}
