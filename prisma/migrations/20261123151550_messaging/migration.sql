-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "credentials" TEXT;

-- CreateTable
CREATE TABLE "Automation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "definition" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Automation_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Template" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "messageType" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT,
    "source" TEXT NOT NULL,
    "html" TEXT,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Template_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MessageEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "detail" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MessageEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MessageEvent_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Suppression" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Suppression_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT,
    "shopifyProductId" TEXT NOT NULL,
    "shopifyOrderId" TEXT,
    "rating" INTEGER NOT NULL,
    "title" TEXT,
    "body" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "authorEmail" TEXT,
    "verifiedBuyer" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Review_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Review_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "channel" TEXT NOT NULL,
    "subject" TEXT,
    "orderName" TEXT,
    "lastMessageAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Ticket_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Ticket_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TicketMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "fromAddress" TEXT,
    "body" TEXT NOT NULL,
    "externalId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TicketMessage_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SurveyAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "orderId" TEXT,
    "contactId" TEXT,
    "rating" INTEGER NOT NULL,
    "answeredAt" DATETIME NOT NULL,
    CONSTRAINT "SurveyAnswer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "locale" TEXT,
    "timeZone" TEXT,
    "countryCode" TEXT,
    "provinceCode" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "lastWhatsappInboundAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contact_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Contact" ("countryCode", "createdAt", "email", "firstName", "id", "lastName", "locale", "phone", "provinceCode", "shopId", "shopifyCustomerId", "timeZone", "updatedAt") SELECT "countryCode", "createdAt", "email", "firstName", "id", "lastName", "locale", "phone", "provinceCode", "shopId", "shopifyCustomerId", "timeZone", "updatedAt" FROM "Contact";
DROP TABLE "Contact";
ALTER TABLE "new_Contact" RENAME TO "Contact";
CREATE INDEX "Contact_shopId_email_idx" ON "Contact"("shopId", "email");
CREATE INDEX "Contact_shopId_phone_idx" ON "Contact"("shopId", "phone");
CREATE UNIQUE INDEX "Contact_shopId_shopifyCustomerId_key" ON "Contact"("shopId", "shopifyCustomerId");
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "contactId" TEXT,
    "checkoutToken" TEXT,
    "totalPrice" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "lineItems" TEXT NOT NULL DEFAULT '[]',
    "tags" TEXT NOT NULL DEFAULT '[]',
    "statusUrl" TEXT,
    "placedAt" DATETIME NOT NULL,
    "cancelledAt" DATETIME,
    "shopifyUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Order_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("cancelledAt", "checkoutToken", "contactId", "createdAt", "currency", "financialStatus", "fulfillmentStatus", "id", "lineItems", "name", "placedAt", "shopId", "shopifyOrderId", "shopifyUpdatedAt", "totalPrice", "updatedAt") SELECT "cancelledAt", "checkoutToken", "contactId", "createdAt", "currency", "financialStatus", "fulfillmentStatus", "id", "lineItems", "name", "placedAt", "shopId", "shopifyOrderId", "shopifyUpdatedAt", "totalPrice", "updatedAt" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shopId_checkoutToken_idx" ON "Order"("shopId", "checkoutToken");
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");
CREATE TABLE "new_Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "contactId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "automation" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "purpose" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT,
    "status" TEXT NOT NULL,
    "statusReason" TEXT,
    "runAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "provider" TEXT,
    "externalId" TEXT,
    "error" TEXT,
    "variables" TEXT NOT NULL DEFAULT '{}',
    "messageType" TEXT,
    "locale" TEXT,
    "channels" TEXT NOT NULL DEFAULT '[]',
    "content" TEXT,
    "checkoutToken" TEXT,
    "orderId" TEXT,
    "fulfillmentId" TEXT,
    "recoveredOrderId" TEXT,
    "recoveredRevenue" TEXT,
    "sendingAt" DATETIME,
    "sentAt" DATETIME,
    "deliveredAt" DATETIME,
    "openedAt" DATETIME,
    "clickedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Message_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("attempts", "automation", "channel", "checkoutToken", "contactId", "createdAt", "error", "externalId", "id", "idempotencyKey", "orderId", "provider", "purpose", "recipient", "runAt", "sendingAt", "sentAt", "shopId", "status", "statusReason", "step", "updatedAt", "variables") SELECT "attempts", "automation", "channel", "checkoutToken", "contactId", "createdAt", "error", "externalId", "id", "idempotencyKey", "orderId", "provider", "purpose", "recipient", "runAt", "sendingAt", "sentAt", "shopId", "status", "statusReason", "step", "updatedAt", "variables" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE INDEX "Message_shopId_externalId_idx" ON "Message"("shopId", "externalId");
CREATE INDEX "Message_shopId_contactId_sentAt_idx" ON "Message"("shopId", "contactId", "sentAt");
CREATE INDEX "Message_shopId_status_runAt_idx" ON "Message"("shopId", "status", "runAt");
CREATE INDEX "Message_shopId_checkoutToken_idx" ON "Message"("shopId", "checkoutToken");
CREATE INDEX "Message_status_runAt_idx" ON "Message"("status", "runAt");
CREATE UNIQUE INDEX "Message_idempotencyKey_key" ON "Message"("idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Automation_shopId_type_key" ON "Automation"("shopId", "type");

-- CreateIndex
CREATE UNIQUE INDEX "Template_shopId_messageType_channel_locale_key" ON "Template"("shopId", "messageType", "channel", "locale");

-- CreateIndex
CREATE INDEX "MessageEvent_shopId_messageId_occurredAt_idx" ON "MessageEvent"("shopId", "messageId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Suppression_shopId_channel_address_key" ON "Suppression"("shopId", "channel", "address");

-- CreateIndex
CREATE INDEX "Review_shopId_shopifyProductId_status_idx" ON "Review"("shopId", "shopifyProductId", "status");

-- CreateIndex
CREATE INDEX "Review_shopId_shopifyOrderId_idx" ON "Review"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE INDEX "Ticket_shopId_contactId_status_idx" ON "Ticket"("shopId", "contactId", "status");

-- CreateIndex
CREATE INDEX "Ticket_shopId_status_lastMessageAt_idx" ON "Ticket"("shopId", "status", "lastMessageAt");

-- CreateIndex
CREATE INDEX "TicketMessage_ticketId_createdAt_idx" ON "TicketMessage"("ticketId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyAnswer_messageId_key" ON "SurveyAnswer"("messageId");

