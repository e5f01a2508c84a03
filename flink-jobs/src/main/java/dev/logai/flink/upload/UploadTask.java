package dev.logai.flink.upload;

import dev.logai.common.contract.UploadRegistered;

/**
 * A registered upload as the job reads it from the uploads topic ({@link UploadRegistered}), as a
 * Flink POJO: the object to read and whose lines they are.
 */
public class UploadTask {
    public String uploadId;
    public String orgId;
    public String sourceId;
    public String bucket;
    public String objectKey;
    /** The object's size in bytes. */
    public long size;

    public boolean gzip;
    /** When the upload was registered (epoch ms): the receive time of its lines. */
    public long registeredAt;
    /** The source's parser hint when registered, or null. */
    public String parserHint;

    public UploadTask() {}

    /** The task of a decoded event. */
    public static UploadTask of(UploadRegistered event) {
        UploadTask t = new UploadTask();
        t.uploadId = event.uploadId();
        t.orgId = event.orgId();
        t.sourceId = event.sourceId();
        t.bucket = event.bucket();
        t.objectKey = event.objectKey();
        t.size = event.size();
        t.gzip = event.gzip();
        t.registeredAt = event.registeredAtMillis();
        t.parserHint = event.parserHint();
        return t;
    }
}
