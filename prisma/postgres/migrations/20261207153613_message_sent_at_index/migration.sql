-- CreateIndex
CREATE INDEX "Message_shopId_sentAt_idx" ON "Message"("shopId", "sentAt");

